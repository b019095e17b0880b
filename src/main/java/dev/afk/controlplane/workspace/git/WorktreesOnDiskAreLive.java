package dev.afk.controlplane.workspace.git;

import dev.afk.controlplane.workspace.LiveRuns;
import dev.afk.controlplane.workspace.WorkspacesConfig;
import io.quarkus.arc.DefaultBean;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Until the pipeline supplies the runs it tracks, every worktree on disk counts as live: housekeeping
 * then removes nothing and never evicts a checkout that has a worktree. Safe, never clever.
 */
@DefaultBean
@ApplicationScoped
public class WorktreesOnDiskAreLive implements LiveRuns {

    private final WorkspaceLayout layout;

    WorktreesOnDiskAreLive(WorkspacesConfig config) {
        this.layout = new WorkspaceLayout(Path.of(config.root()));
    }

    @Override
    public Uni<Set<String>> liveRunIds() {
        return Uni.createFrom().item(() -> layout.worktreeKeys().stream()
                        .flatMap(key -> layout.worktreeRunIds(key).stream())
                        .collect(Collectors.toUnmodifiableSet()))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
