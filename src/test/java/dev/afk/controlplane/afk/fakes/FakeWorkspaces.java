package dev.afk.controlplane.afk.fakes;

import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.workspace.Workspaces;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Worktrees as names only: prepared per run (idempotently), released or kept. */
@Alternative
@Priority(1)
@ApplicationScoped
public class FakeWorkspaces implements Workspaces {

    private final Map<String, Worktree> worktrees = new ConcurrentHashMap<>();
    private final Map<String, Boolean> released = new ConcurrentHashMap<>();
    private final AtomicInteger prepares = new AtomicInteger();

    @Override
    public String checkoutPath(RepoSlug repo) {
        return "/work/checkouts/" + repo.owner() + "__" + repo.name();
    }

    @Override
    public Uni<Worktree> prepare(Request request) {
        return Uni.createFrom().item(() -> {
            prepares.incrementAndGet();
            return worktrees.computeIfAbsent(request.runId(), id -> new Worktree(
                    "/work/worktrees/" + id, "afk/issue-" + request.issue() + "-" + id.substring(0, 8), "base-sha"));
        });
    }

    @Override
    public Uni<Void> release(RepoSlug repo, String runId, boolean keep) {
        return Uni.createFrom().item(() -> {
            released.put(runId, keep);
            return null;
        });
    }

    @Override
    public Uni<Housekeeping> housekeep(Set<String> liveRunIds) {
        return Uni.createFrom().item(new Housekeeping(0, 0, 0));
    }

    public boolean prepared(String runId) {
        return worktrees.containsKey(runId);
    }

    /** Null while the worktree is held; true if kept for forensics, false if removed. */
    public Boolean releasedKeeping(String runId) {
        return released.get(runId);
    }
}
