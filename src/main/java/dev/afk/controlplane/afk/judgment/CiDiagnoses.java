package dev.afk.controlplane.afk.judgment;

import dev.afk.controlplane.afk.runs.FailureDiagnosis;
import dev.afk.controlplane.agents.NativeAgents;
import dev.afk.controlplane.agents.runtime.AgentSpec;
import dev.afk.controlplane.ci.CiVerdicts.Check;
import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.common.RunId;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * The pipeline's {@link FailureDiagnosis}: a task on the repository's running {@code ci-diagnosis}
 * agent (the first by name), awaited for at most {@code afk.judgment.diagnosis-wait}. No agent, a
 * full one, a failed task (model down, over budget, a malformed answer) or no answer in time all
 * end the same way: no diagnosis, and a note saying why.
 */
@ApplicationScoped
public class CiDiagnoses implements FailureDiagnosis {

    private final NativeAgents agents;
    private final JudgmentConfig config;

    CiDiagnoses(NativeAgents agents, JudgmentConfig config) {
        this.agents = agents;
        this.config = config;
    }

    @Override
    public Uni<Result> diagnose(RepoSlug repo, RunId runId, String sha, List<Check> failing) {
        if (failing.isEmpty()) {
            return Uni.createFrom().item(Result.none("ci-diagnosis: CI named no failing check; fix-forward without a diagnosis"));
        }
        return agents.running(CiDiagnosisNodeType.NAME)
                .map(list -> list.stream().filter(agent -> Judgments.repo(agent.nodeConfig()).map(repo::equals).orElse(false)).findFirst())
                .flatMap(agent -> agent.map(a -> ask(a, runId, sha, failing))
                        .orElseGet(() -> Uni.createFrom().item(Result.none(
                                "ci-diagnosis: no running ci-diagnosis agent for " + repo + "; fix-forward without a diagnosis"))))
                .onFailure().recoverWithItem(e -> Result.none("ci-diagnosis: not available (" + e.getClass().getSimpleName()
                        + "); fix-forward without a diagnosis"));
    }

    private Uni<Result> ask(AgentSpec agent, RunId runId, String sha, List<Check> failing) {
        return agents.submit(agent.name(), CiDiagnosisNodeType.message(sha, failing), "run:" + runId, "pipeline")
                .flatMap(task -> task.outcome()
                        .map(outcome -> outcome.success()
                                ? new Result(outcome.result(), "ci-diagnosis: task " + task.id() + " of " + agent.name()
                                        + " diagnosed the failure; its summary is in the fix-forward prompt")
                                : Result.none("ci-diagnosis: task " + task.id() + " of " + agent.name() + " failed ("
                                        + outcome.errorCode() + ": " + Optional.ofNullable(outcome.error()).orElse("") + "); fix-forward without a diagnosis"))
                        .ifNoItem().after(config.diagnosisWait()).recoverWithItem(() -> Result.none("ci-diagnosis: task " + task.id()
                                + " of " + agent.name() + " gave no answer within " + config.diagnosisWait() + "; fix-forward without a diagnosis")));
    }
}
