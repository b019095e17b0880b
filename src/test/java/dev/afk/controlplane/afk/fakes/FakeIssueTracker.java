package dev.afk.controlplane.afk.fakes;

import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.tracker.Blocker;
import dev.afk.controlplane.tracker.Commit;
import dev.afk.controlplane.tracker.Issue;
import dev.afk.controlplane.tracker.IssueTracker;
import dev.afk.controlplane.tracker.LabelEvent;
import dev.afk.controlplane.tracker.Permission;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stateful in-memory issue tracker: issues with labels and their timeline, permissions,
 * blockers, comments, commits on the default branch, files. Tests script it and inspect it.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class FakeIssueTracker implements IssueTracker {

    private final Map<RepoSlug, RepoState> repos = new ConcurrentHashMap<>();
    private final AtomicLong commentIds = new AtomicLong(1000);
    private final Clock clock;

    FakeIssueTracker(Clock clock) {
        this.clock = clock;
    }

    /** One scripted issue. */
    public final class IssueState {
        final RepoSlug repo;
        final int number;
        String title;
        String body = "";
        boolean open = true;
        final Set<String> labels = new LinkedHashSet<>();
        final List<LabelEvent> labelEvents = new ArrayList<>();
        final List<int[]> blockers = new ArrayList<>();
        final Map<Long, String> comments = new LinkedHashMap<>();
        int closedByPipeline;
        /** Moves with every change, as a forge's update time does. */
        Instant updatedAt;
        Instant lastClosedAt;

        IssueState(RepoSlug repo, int number, String title) {
            this.repo = repo;
            this.number = number;
            this.title = title;
            this.updatedAt = clock.instant();
        }

        /** Sets the body now (an edit, once the issue exists). */
        public synchronized IssueState body(String text) {
            body = text;
            updatedAt = clock.instant();
            return this;
        }

        public synchronized IssueState title(String text) {
            title = text;
            updatedAt = clock.instant();
            return this;
        }

        /** {@code actor} applies the label now (a timeline event). */
        public synchronized IssueState label(String label, String actor) {
            labels.add(label);
            labelEvents.add(new LabelEvent(label, actor, clock.instant()));
            updatedAt = clock.instant();
            return this;
        }

        public IssueState labelReady(String actor) {
            return label("ready-for-agent", actor);
        }

        public synchronized IssueState unlabel(String label) {
            labels.remove(label);
            updatedAt = clock.instant();
            return this;
        }

        public synchronized IssueState close() {
            open = false;
            updatedAt = clock.instant();
            lastClosedAt = updatedAt;
            return this;
        }

        public synchronized IssueState reopen() {
            open = true;
            updatedAt = clock.instant();
            return this;
        }

        /** "Blocked by #n" in the same repository. */
        public synchronized IssueState blockedBy(int number) {
            blockers.add(new int[] {number});
            return this;
        }

        public synchronized Set<String> labels() {
            return Set.copyOf(labels);
        }

        public synchronized boolean isOpen() {
            return open;
        }

        public synchronized List<String> comments() {
            return List.copyOf(comments.values());
        }

        public synchronized int closedByPipeline() {
            return closedByPipeline;
        }

        synchronized Issue snapshot() {
            return new Issue(repo, number, title, body, open, Set.copyOf(labels), updatedAt);
        }
    }

    static final class RepoState {
        final Map<Integer, IssueState> issues = new ConcurrentHashMap<>();
        final Map<String, Permission> permissions = new ConcurrentHashMap<>();
        final List<Commit> commits = new ArrayList<>();
        final Map<String, String> files = new ConcurrentHashMap<>();
        /** While set, listing the repository's issues fails with it. */
        volatile RuntimeException failure;
    }

    private RepoState repo(RepoSlug slug) {
        return repos.computeIfAbsent(slug, s -> new RepoState());
    }

    // --- scripting -----------------------------------------------------------------------

    public IssueState issue(RepoSlug repo, int number, String title) {
        return repo(repo).issues.computeIfAbsent(number, n -> new IssueState(repo, n, title));
    }

    public IssueState existing(RepoSlug repo, int number) {
        IssueState state = repo(repo).issues.get(number);
        if (state == null) {
            throw new IllegalArgumentException("no issue " + repo + "#" + number);
        }
        return state;
    }

    public void grant(RepoSlug repo, String user, Permission permission) {
        repo(repo).permissions.put(user, permission);
    }

    /** A commit lands on the default branch now, with the given trailers. */
    public Commit push(RepoSlug repo, String sha, Map<String, List<String>> trailers) {
        StringBuilder message = new StringBuilder("change\n\n");
        trailers.forEach((k, vs) -> vs.forEach(v -> message.append(k).append(": ").append(v).append('\n')));
        Commit commit = new Commit(sha, message.toString(), Map.copyOf(trailers), clock.instant());
        RepoState state = repo(repo);
        synchronized (state) {
            state.commits.add(commit);
        }
        return commit;
    }

    /** A commit of the run the way the prompt asks for it: {@code AFK-Run} and {@code Refs #N}. */
    public Commit pushForRun(RepoSlug repo, String sha, String runId, int issue) {
        return push(repo, sha, Map.of("AFK-Run", List.of(runId), "Refs", List.of("#" + issue)));
    }

    public void file(RepoSlug repo, String path, String text) {
        repo(repo).files.put(path, text);
    }

    private final Map<RepoSlug, java.util.function.Supplier<Uni<Void>>> whileListing = new ConcurrentHashMap<>();

    /** Runs {@code probe} while the pipeline waits for the repository's ready issues, as if GitHub were slow. */
    public void whileListing(RepoSlug repo, java.util.function.Supplier<Uni<Void>> probe) {
        whileListing.put(repo, probe);
    }

    /** While set, listing the repository's issues fails as an unreachable tracker would. */
    public void unreachable(RepoSlug repo, boolean unreachable) {
        failing(repo, unreachable ? new IllegalStateException("tracker unreachable for " + repo) : null);
    }

    /** Listing the repository's issues fails with this until it is set to null. */
    public void failing(RepoSlug repo, RuntimeException failure) {
        repo(repo).failure = failure;
    }

    // --- the port --------------------------------------------------------------------------

    @Override
    public Uni<List<Issue>> openIssuesWithLabel(RepoSlug repo, String label) {
        RuntimeException failure = repo(repo).failure;
        if (failure != null) {
            return Uni.createFrom().failure(failure);
        }
        return whileListing.getOrDefault(repo, () -> Uni.createFrom().voidItem()).get()
                .chain(() -> Uni.createFrom().item(() -> repo(repo).issues.values().stream()
                        .map(IssueState::snapshot)
                        .filter(i -> i.open() && i.labels().contains(label))
                        .sorted(Comparator.comparingInt(Issue::number))
                        .toList()));
    }

    @Override
    public Uni<List<Issue>> openIssues(RepoSlug repo) {
        return Uni.createFrom().item(() -> repo(repo).issues.values().stream()
                .map(IssueState::snapshot)
                .filter(Issue::open)
                .sorted(Comparator.comparingInt(Issue::number))
                .toList());
    }

    @Override
    public Uni<Optional<Issue>> issue(RepoSlug repo, int number) {
        return Uni.createFrom().item(() -> Optional.ofNullable(repo(repo).issues.get(number)).map(IssueState::snapshot));
    }

    @Override
    public Uni<Optional<LabelEvent>> lastLabeled(RepoSlug repo, int number, String label) {
        return Uni.createFrom().item(() -> {
            IssueState issue = repo(repo).issues.get(number);
            if (issue == null) {
                return Optional.<LabelEvent>empty();
            }
            synchronized (issue) {
                return issue.labelEvents.reversed().stream().filter(e -> e.label().equals(label)).findFirst();
            }
        });
    }

    @Override
    public Uni<Optional<Instant>> lastClosed(RepoSlug repo, int number) {
        return Uni.createFrom().item(() -> {
            IssueState issue = repo(repo).issues.get(number);
            if (issue == null) {
                return Optional.<Instant>empty();
            }
            synchronized (issue) {
                return Optional.ofNullable(issue.lastClosedAt);
            }
        });
    }

    @Override
    public Uni<Permission> permission(RepoSlug repo, String user) {
        return Uni.createFrom().item(() -> repo(repo).permissions.getOrDefault(user, Permission.NONE));
    }

    @Override
    public Uni<List<Blocker>> blockers(RepoSlug repo, Issue issue) {
        return Uni.createFrom().item(() -> {
            IssueState state = repo(repo).issues.get(issue.number());
            if (state == null) {
                return List.<Blocker>of();
            }
            synchronized (state) {
                return state.blockers.stream().map(b -> {
                    IssueState blocker = repo(repo).issues.get(b[0]);
                    return new Blocker(repo, b[0], blocker != null && blocker.isOpen());
                }).toList();
            }
        });
    }

    @Override
    public Uni<Void> addLabels(RepoSlug repo, int number, Set<String> labels) {
        return Uni.createFrom().item(() -> {
            IssueState issue = existing(repo, number);
            synchronized (issue) {
                issue.labels.addAll(labels);
                issue.updatedAt = clock.instant();
            }
            return null;
        });
    }

    @Override
    public Uni<Void> removeLabel(RepoSlug repo, int number, String label) {
        return Uni.createFrom().item(() -> {
            existing(repo, number).unlabel(label);
            return null;
        });
    }

    @Override
    public Uni<Long> upsertComment(RepoSlug repo, int number, Optional<Long> existing, String body) {
        return Uni.createFrom().item(() -> {
            IssueState issue = existing(repo, number);
            synchronized (issue) {
                long id = existing.filter(issue.comments::containsKey).orElseGet(commentIds::incrementAndGet);
                issue.comments.put(id, body);
                return id;
            }
        });
    }

    @Override
    public Uni<Optional<Long>> findComment(RepoSlug repo, int number, String marker) {
        return Uni.createFrom().item(() -> {
            IssueState issue = repo(repo).issues.get(number);
            if (issue == null) {
                return Optional.<Long>empty();
            }
            synchronized (issue) {
                return issue.comments.entrySet().stream()
                        .filter(comment -> comment.getValue().contains(marker))
                        .map(Map.Entry::getKey)
                        .findFirst();
            }
        });
    }

    @Override
    public Uni<Void> closeAsCompleted(RepoSlug repo, int number) {
        return Uni.createFrom().item(() -> {
            IssueState issue = existing(repo, number);
            synchronized (issue) {
                issue.open = false;
                issue.closedByPipeline++;
                issue.updatedAt = clock.instant();
                issue.lastClosedAt = issue.updatedAt;
            }
            return null;
        });
    }

    @Override
    public Uni<List<Commit>> commitsSince(RepoSlug repo, String branch, Instant since) {
        return Uni.createFrom().item(() -> {
            RepoState state = repo(repo);
            synchronized (state) {
                List<Commit> newestFirst = new ArrayList<>(state.commits.reversed());
                return newestFirst.stream().filter(c -> c.committedAt().isAfter(since)).toList();
            }
        });
    }

    @Override
    public Uni<Optional<String>> fileOnDefaultBranch(RepoSlug repo, String path) {
        return Uni.createFrom().item(() -> Optional.ofNullable(repo(repo).files.get(path)));
    }
}
