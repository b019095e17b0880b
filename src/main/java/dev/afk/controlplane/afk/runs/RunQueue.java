package dev.afk.controlplane.afk.runs;

import dev.afk.controlplane.afk.PipelineConfig;
import dev.afk.controlplane.afk.prompt.PromptTemplate;
import dev.afk.controlplane.afk.prompt.Prompts;
import dev.afk.controlplane.afk.prompt.TemplateException;
import dev.afk.controlplane.afk.prompt.WorkflowFile;
import dev.afk.controlplane.afk.repos.Repo;
import dev.afk.controlplane.afk.repos.RepoStore;
import dev.afk.controlplane.ci.CiVerdicts.Stage;
import dev.afk.controlplane.tracker.IssueTracker;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * What queueing a run needs, whoever queues it (the poller for a label, an operator's retry): the
 * repository's workflow file, the run's settings, and the insert under the global cap.
 */
@ApplicationScoped
public class RunQueue {

    private static final Logger LOG = Logger.getLogger(RunQueue.class);
    /** Advisory-lock key of the global dispatch section (count against the cap, then insert). */
    private static final long GLOBAL_DISPATCH_LOCK = 0x41464B5F44495350L;

    private final RepoStore repos;
    private final RunStore runs;
    private final IssueTracker tracker;
    private final PipelineConfig config;

    RunQueue(RepoStore repos, RunStore runs, IssueTracker tracker, PipelineConfig config) {
        this.repos = repos;
        this.runs = runs;
        this.tracker = tracker;
        this.config = config;
    }

    /** Counts against the global cap and inserts under one lock, so replicas cannot overshoot it together. */
    public Uni<Boolean> insertUnderCap(SqlClient sql, Run run, String actor) {
        return sql.preparedQuery("select pg_advisory_xact_lock($1)").execute(Tuple.of(GLOBAL_DISPATCH_LOCK))
                .chain(() -> runs.openCount(sql))
                .chain(active -> active >= config.globalCap()
                        ? Uni.createFrom().item(false)
                        : runs.insertQueued(sql, run, actor));
    }

    /** The run's budgets, CI settings and landing: enrollment overrides the built-ins, the repo's own file may only tighten. */
    public RunSettings settings(Repo repo, WorkflowFile file) {
        Budgets budgets = Budgets.of(config.budgets()).overriddenBy(repo.caps());
        List<Stage> stages = repo.ciStages();
        List<String> required = repo.requiredChecks();
        if (file != null) {
            budgets = file.settings().capsOrNone().map(budgets::tightenedBy).orElse(budgets);
            if (file.settings().ci() != null && file.settings().ci().stages() != null) {
                stages = file.settings().ci().stages().stream().map(Stage::valueOf).toList();
            }
            if (file.settings().ci() != null && file.settings().ci().requiredChecks() != null) {
                required = file.settings().ci().requiredChecks();
            }
        }
        return new RunSettings(budgets, stages, required, repo.landing().byPullRequest() ? repo.landing() : null);
    }

    /** The repository's workflow file, parsed and checked; an error is recorded on the repository and blocks it. */
    public record Workflow(WorkflowFile file, PromptTemplate template, String error) {}

    public Uni<Workflow> workflow(SqlClient sql, Repo repo) {
        return workflowReadOnly(repo).call(w -> repos.setWorkflowError(sql, repo.slug(), w.error()).invoke(changed -> {
            if (changed && w.error() != null) {
                LOG.warnf("%s: dispatch blocked, %s", repo.slug(), w.error());
            }
        }));
    }

    public Uni<Workflow> workflowReadOnly(Repo repo) {
        return tracker.fileOnDefaultBranch(repo.slug(), WorkflowFile.PATH).map(text -> {
            try {
                WorkflowFile file = text.map(WorkflowFile::parse).orElse(null);
                if (file != null && file.settings().ci() != null && file.settings().ci().stages() != null) {
                    file.settings().ci().stages().forEach(RunQueue::stage);
                }
                return new Workflow(file, Prompts.implementer(file), null);
            } catch (TemplateException e) {
                return new Workflow(null, null, e.getMessage());
            }
        });
    }

    private static Stage stage(String name) {
        try {
            return Stage.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new TemplateException(WorkflowFile.PATH + ": unknown CI stage " + name + "; known: " + List.of(Stage.values()));
        }
    }
}
