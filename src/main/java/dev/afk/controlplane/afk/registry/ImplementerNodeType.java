package dev.afk.controlplane.afk.registry;

import dev.afk.controlplane.afk.repos.RepoProblems;
import dev.afk.controlplane.afk.repos.RepoService;
import dev.afk.controlplane.afk.runs.Run;
import dev.afk.controlplane.afk.runs.RunService;
import dev.afk.controlplane.agents.nativekind.Fleet;
import dev.afk.controlplane.agents.nativekind.NodeType;
import dev.afk.controlplane.agents.runtime.AgentSpec;
import dev.afk.controlplane.agents.runtime.AgentStatus;
import dev.afk.controlplane.agents.runtime.Feature;
import dev.afk.controlplane.agents.runtime.TaskOutcome;
import dev.afk.controlplane.agents.runtime.TaskRequest;
import dev.afk.controlplane.agents.runtime.TaskSnapshot;
import dev.afk.controlplane.agents.runtime.TaskSource;
import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.common.RunId;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@code afk-implementer}: an enrolled repository, seen from the agent registry. Starting and
 * stopping the agent resumes and pauses the repository; its tasks are the repository's runs,
 * which start from labelled issues, never from the registry. Config: {@code {"repo": "owner/name"}}.
 */
@ApplicationScoped
public class ImplementerNodeType implements NodeType, TaskSource {

    public static final String NAME = "afk-implementer";
    static final String REPO = "repo";
    /** Shown instead of running while a red default branch holds the repository. */
    static final String FROZEN = "frozen";

    private final RepoService repos;
    private final RunService runs;

    ImplementerNodeType(RepoService repos, RunService runs) {
        this.repos = repos;
        this.runs = runs;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Starting and stopping it pauses and resumes a repository: never a viewer's lever. */
    @Override
    public boolean serviceOwned() {
        return true;
    }

    /** Its work is in the runs and the repository: no chat, logs or files of its own. */
    @Override
    public Set<Feature> features() {
        return EnumSet.of(Feature.OVERVIEW, Feature.TASKS, Feature.SETTINGS, Feature.SHARING);
    }

    @Override
    public List<String> validate(Map<String, Object> config) {
        if (!(config.get(REPO) instanceof String text) || slug(text).isEmpty()) {
            return List.of("'repo' must name an enrolled repository as owner/name");
        }
        List<String> unknown = config.keySet().stream().filter(key -> !REPO.equals(key)).sorted().toList();
        return unknown.isEmpty() ? List.of() : List.of("unknown keys: " + String.join(", ", unknown));
    }

    @Override
    public Uni<Void> start(AgentSpec agent) {
        return repos.setPaused(repo(agent), false).replaceWithVoid();
    }

    @Override
    public Uni<Void> stop(AgentSpec agent) {
        return repos.setPaused(repo(agent), true).replaceWithVoid();
    }

    /** Paused → stopped; held by a frozen run → frozen; else running. */
    @Override
    public Uni<String> status(AgentSpec agent) {
        return repos.get(repo(agent)).map(repo -> repo.paused() ? AgentStatus.STOPPED
                        : repo.frozen() ? FROZEN : AgentStatus.RUNNING)
                .onFailure(RepoProblems.NotEnrolled.class).recoverWithItem(AgentStatus.STOPPED);
    }

    /** Never reached: the registry refuses tasks for agents with a task source. */
    @Override
    public Uni<TaskOutcome> execute(AgentSpec agent, TaskRequest task, Fleet fleet) {
        return Uni.createFrom().item(TaskOutcome.failed("tasks_managed_elsewhere", managedElsewhere(agent)));
    }

    @Override
    public Optional<TaskSource> taskSource() {
        return Optional.of(this);
    }

    @Override
    public String managedElsewhere(AgentSpec agent) {
        return "its tasks are the runs of " + agent.nodeConfig().get(REPO)
                + ", which start when a trusted user labels an issue ready, and are managed under /api/afk/runs";
    }

    @Override
    public Uni<List<TaskSnapshot>> recent(AgentSpec agent, int limit) {
        return runs.list(repo(agent), null, limit).map(list -> list.stream().map(ImplementerNodeType::task).toList());
    }

    @Override
    public Uni<Optional<TaskSnapshot>> find(AgentSpec agent, UUID id) {
        RepoSlug repo = repo(agent);
        return runs.find(new RunId(id))
                .map(run -> run.filter(r -> r.repo().equals(repo)).map(ImplementerNodeType::task));
    }

    /** A run in the registry's task vocabulary; a run that ended badly carries its state as the error code. */
    static TaskSnapshot task(Run run) {
        var progress = run.progress();
        String status = switch (run.state()) {
            case QUEUED, DISPATCHING -> "queued";
            case WORKING, NEEDS_INPUT, AWAITING_CI, FIX_FORWARDING -> "running";
            case DONE -> "success";
            case ESCALATED, FROZEN -> "failed";
            case CANCELLED -> "cancelled";
        };
        boolean failed = "failed".equals(status);
        return new TaskSnapshot(run.id().value(), status, "issue", run.release().labelledBy(),
                "#" + run.issue() + " " + run.release().title(),
                failed ? null : progress.outcomeReason(),
                failed ? run.state().name().toLowerCase(Locale.ROOT) : null,
                failed ? progress.outcomeReason() : null,
                run.createdAt(), progress.dispatchedAt(), progress.finishedAt());
    }

    private static RepoSlug repo(AgentSpec agent) {
        return slug(String.valueOf(agent.nodeConfig().get(REPO)))
                .orElseThrow(() -> new IllegalStateException("Agent " + agent.name() + " names no repository"));
    }

    private static Optional<RepoSlug> slug(String text) {
        try {
            return Optional.of(RepoSlug.parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
