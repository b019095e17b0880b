package dev.afk.controlplane.tracker;

import dev.afk.controlplane.common.RepoSlug;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The issue tracker as the pipeline needs it. Adapters (tracker.github, …) are the only code that
 * knows a forge's wire format; nothing here names one.
 */
public interface IssueTracker {

    /** Open issues carrying {@code label}, cheap to call repeatedly (conditional requests). */
    Uni<List<Issue>> openIssuesWithLabel(RepoSlug repo, String label);

    /** Every open issue (pull requests excluded), cheap to call repeatedly (conditional requests). */
    Uni<List<Issue>> openIssues(RepoSlug repo);

    Uni<Optional<Issue>> issue(RepoSlug repo, int number);

    /** Who applied {@code label} most recently, and when; empty if it was never applied. */
    Uni<Optional<LabelEvent>> lastLabeled(RepoSlug repo, int number, String label);

    /** When the issue was closed most recently; empty if it never was. */
    Uni<Optional<Instant>> lastClosed(RepoSlug repo, int number);

    /** The user's permission on the repository, as the tracker says now (never an old answer). */
    Uni<Permission> permission(RepoSlug repo, String user);

    /**
     * The last answer {@link #permission} gave, without asking; empty if none is remembered. Good
     * enough to explain why an issue waits for something else, never to release one.
     */
    default Optional<Permission> knownPermission(RepoSlug repo, String user) {
        return Optional.empty();
    }

    /** Issues that block this one ("Blocked by #N", dependencies), each with whether it is still open. */
    Uni<List<Blocker>> blockers(RepoSlug repo, Issue issue);

    /** Idempotent: adding a present label or removing an absent one succeeds. */
    Uni<Void> addLabels(RepoSlug repo, int number, Set<String> labels);

    Uni<Void> removeLabel(RepoSlug repo, int number, String label);

    /**
     * Creates a comment, or edits {@code existing} in place; returns the comment's id. A create is
     * not idempotent by itself: a caller that may have created the comment before (and lost its id
     * in a crash) looks for it first with {@link #findComment}.
     */
    Uni<Long> upsertComment(RepoSlug repo, int number, Optional<Long> existing, String body);

    /**
     * The id of the oldest comment on the issue whose body contains {@code marker} (a hidden token
     * the caller wrote into the body), or empty if there is none or the issue is gone. It reads
     * every comment of the issue, so callers ask only when they hold no id of their own, never on
     * every tick. The default finds nothing: a tracker that cannot search falls back to creating.
     */
    default Uni<Optional<Long>> findComment(RepoSlug repo, int number, String marker) {
        return Uni.createFrom().item(Optional.empty());
    }

    /** Closes the issue as completed. Idempotent. */
    Uni<Void> closeAsCompleted(RepoSlug repo, int number);

    /** Commits on {@code branch} newer than {@code since}, newest first, with their trailers parsed. */
    Uni<List<Commit>> commitsSince(RepoSlug repo, String branch, Instant since);

    /** A file's text on the default branch; empty if it does not exist. */
    Uni<Optional<String>> fileOnDefaultBranch(RepoSlug repo, String path);

    // ---- pull requests, for repositories that land by pull request ----
    // The defaults refuse: a tracker without pull requests cannot serve that landing mode.

    /**
     * Opens a pull request from {@code head} into {@code base}, or returns the open one that already
     * comes from {@code head}: a retry after a crash never opens a second one.
     */
    default Uni<PullRequest> openPullRequest(RepoSlug repo, String head, String base, String title, String body) {
        return Uni.createFrom().failure(new UnsupportedOperationException("this tracker has no pull requests"));
    }

    /** The newest pull request from branch {@code head}, in any state; empty if there is none. */
    default Uni<Optional<PullRequest>> pullRequest(RepoSlug repo, String head) {
        return Uni.createFrom().failure(new UnsupportedOperationException("this tracker has no pull requests"));
    }

    /**
     * Merges the pull request if its head is still {@code headSha}. Refusals are results, not
     * failures: the caller decides whether to wait, fix forward or escalate.
     */
    default Uni<PullRequest.MergeResult> merge(RepoSlug repo, int number, String headSha, PullRequest.MergeMethod method) {
        return Uni.createFrom().failure(new UnsupportedOperationException("this tracker has no pull requests"));
    }

    /** Closes the pull request without merging it. Idempotent. */
    default Uni<Void> closePullRequest(RepoSlug repo, int number) {
        return Uni.createFrom().failure(new UnsupportedOperationException("this tracker has no pull requests"));
    }
}
