package dev.afk.controlplane.fakes.github;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One repository of the fake GitHub and the Java API tests drive it with: issues, labels and
 * their timeline, comments, collaborators, commits, check runs, statuses, workflow runs, files,
 * and faults to inject into the next requests on it. Every method is thread-safe (it locks the fake).
 */
public final class FakeRepo {

    /** An issue as the fake holds it. */
    public static final class Issue {
        public final int number;
        public String title;
        public String body;
        public String state = "open";
        public String stateReason;
        public final Set<String> labels = new LinkedHashSet<>();
        public final List<TimelineEvent> timeline = new ArrayList<>();
        public final String author;
        public final Instant createdAt;
        public Instant updatedAt;
        public Instant closedAt;

        Issue(int number, String title, String body, String author, Instant at) {
            this.number = number;
            this.title = title;
            this.body = body;
            this.author = author;
            this.createdAt = at;
            this.updatedAt = at;
        }
    }

    /** A timeline entry: {@code labeled}, {@code unlabeled}, {@code closed}, {@code reopened}, {@code blocked_by_added}, … */
    public record TimelineEvent(long id, String event, String actor, Instant at, String label, String blockerRepo, Integer blockerNumber) {}

    public record Comment(long id, int issue, String body, String author, Instant createdAt, Instant updatedAt) {}

    public record CommitRecord(String sha, String branch, String message, Instant at) {}

    /** A check run; {@code suiteId}: the check suite it belongs to (a workflow run has one too). */
    public record CheckRun(long id, String sha, String name, String status, String conclusion, long suiteId) {}

    public record Status(long id, String sha, String context, String state, String description) {}

    public record WorkflowRun(long id, String sha, String name, String branch, String status, String conclusion, long suiteId) {}

    /** A fault for one upcoming request on this repository. */
    record Fault(int status, Long retryAfterSeconds, Duration delay) {}

    final FakeGitHub github;
    public final String owner;
    public final String name;
    public final String defaultBranch = "main";
    final Map<Integer, Issue> issues = new LinkedHashMap<>();
    final Map<Long, Comment> comments = new LinkedHashMap<>();
    final Map<String, String> roles = new HashMap<>();
    final List<CommitRecord> commits = new ArrayList<>();
    final List<CheckRun> checkRuns = new ArrayList<>();
    final List<Status> statuses = new ArrayList<>();
    final List<WorkflowRun> workflowRuns = new ArrayList<>();
    final Map<String, String> files = new HashMap<>();
    final List<Fault> faults = new ArrayList<>();
    private int nextIssue = 1;

    FakeRepo(FakeGitHub github, String owner, String name) {
        this.github = github;
        this.owner = owner;
        this.name = name;
    }

    public String fullName() {
        return owner + "/" + name;
    }

    /** Gives {@code login} a role: admin, maintain, write, triage or read. */
    public FakeRepo collaborator(String login, String role) {
        synchronized (github) {
            roles.put(login.toLowerCase(), role);
        }
        return this;
    }

    public int createIssue(String title, String body) {
        synchronized (github) {
            int number = nextIssue++;
            issues.put(number, new Issue(number, title, body, "reporter", github.now()));
            return number;
        }
    }

    /** {@code author} comments on the issue; returns the comment's id. */
    public long comment(int issue, String author, String body) {
        synchronized (github) {
            issue(issue);
            Instant at = github.now();
            Comment comment = new Comment(github.nextId(), issue, body, author, at, at);
            comments.put(comment.id(), comment);
            return comment.id();
        }
    }

    /** Applies a label as {@code actor} would in the UI: label set, timeline event, update time. */
    public FakeRepo label(int issue, String label, String actor) {
        synchronized (github) {
            Issue it = issue(issue);
            it.labels.add(label);
            event(it, "labeled", actor, label, null, null);
        }
        return this;
    }

    public FakeRepo unlabel(int issue, String label, String actor) {
        synchronized (github) {
            Issue it = issue(issue);
            if (it.labels.remove(label)) {
                event(it, "unlabeled", actor, label, null, null);
            }
        }
        return this;
    }

    public FakeRepo close(int issue, String actor) {
        synchronized (github) {
            Issue it = issue(issue);
            it.state = "closed";
            it.stateReason = "completed";
            it.closedAt = github.now();
            event(it, "closed", actor, null, null, null);
        }
        return this;
    }

    public FakeRepo reopen(int issue, String actor) {
        synchronized (github) {
            Issue it = issue(issue);
            it.state = "open";
            it.stateReason = "reopened";
            it.closedAt = null;
            event(it, "reopened", actor, null, null, null);
        }
        return this;
    }

    /** GitHub's issue dependencies: {@code blocker} (in {@code blockerRepo}) now blocks {@code issue}. */
    public FakeRepo blockedBy(int issue, String blockerRepo, int blocker, String actor) {
        synchronized (github) {
            event(issue(issue), "blocked_by_added", actor, null, blockerRepo, blocker);
        }
        return this;
    }

    public FakeRepo unblocked(int issue, String blockerRepo, int blocker, String actor) {
        synchronized (github) {
            event(issue(issue), "blocked_by_removed", actor, null, blockerRepo, blocker);
        }
        return this;
    }

    /** Adds a commit on {@code branch}; returns its sha. */
    public String commit(String branch, String message) {
        synchronized (github) {
            String sha = github.sha();
            commits.add(new CommitRecord(sha, branch, message, github.now()));
            return sha;
        }
    }

    /** Records a commit pushed elsewhere (to a real git remote) under its own sha. */
    public FakeRepo pushed(String sha, String branch, String message) {
        synchronized (github) {
            commits.add(new CommitRecord(sha, branch, message, github.now()));
        }
        return this;
    }

    /** A check run in a check suite of its own. */
    public long checkRun(String sha, String name, String status, String conclusion) {
        return checkRun(sha, name, status, conclusion, github.nextId());
    }

    /** A check run of check suite {@code suiteId}; {@code conclusion} null while not completed. */
    public long checkRun(String sha, String name, String status, String conclusion, long suiteId) {
        synchronized (github) {
            long id = github.nextId();
            checkRuns.add(new CheckRun(id, sha, name, status, conclusion, suiteId));
            return id;
        }
    }

    public long status(String sha, String context, String state) {
        return status(sha, context, state, null);
    }

    public long status(String sha, String context, String state, String description) {
        synchronized (github) {
            long id = github.nextId();
            statuses.add(new Status(id, sha, context, state, description));
            return id;
        }
    }

    /** A workflow run in a check suite of its own. */
    public long workflowRun(String sha, String name, String status, String conclusion) {
        return workflowRun(sha, name, status, conclusion, github.nextId());
    }

    /** A workflow run whose jobs report as the check runs of check suite {@code suiteId}. */
    public long workflowRun(String sha, String name, String status, String conclusion, long suiteId) {
        synchronized (github) {
            long id = github.nextId();
            workflowRuns.add(new WorkflowRun(id, sha, name, defaultBranch, status, conclusion, suiteId));
            return id;
        }
    }

    /** A file on the default branch. */
    public FakeRepo file(String path, String content) {
        synchronized (github) {
            files.put(path, content);
        }
        return this;
    }

    /** The next {@code times} requests on this repository answer {@code status} (e.g. 502). */
    public FakeRepo failNext(int times, int status) {
        synchronized (github) {
            for (int i = 0; i < times; i++) {
                faults.add(new Fault(status, null, Duration.ZERO));
            }
        }
        return this;
    }

    /** The next request hits a secondary rate limit: 403, with {@code Retry-After} if given. */
    public FakeRepo secondaryLimitNext(Long retryAfterSeconds) {
        synchronized (github) {
            faults.add(new Fault(403, retryAfterSeconds, Duration.ZERO));
        }
        return this;
    }

    /** The next request is answered only after {@code delay}. */
    public FakeRepo slowNext(Duration delay) {
        synchronized (github) {
            faults.add(new Fault(0, null, delay));
        }
        return this;
    }

    public Issue issue(int number) {
        synchronized (github) {
            Issue it = issues.get(number);
            if (it == null) {
                throw new IllegalArgumentException("no issue #" + number + " in " + fullName());
            }
            return it;
        }
    }

    public Set<String> labels(int issue) {
        synchronized (github) {
            return Set.copyOf(issue(issue).labels);
        }
    }

    public List<Comment> comments(int issue) {
        synchronized (github) {
            return comments.values().stream().filter(c -> c.issue() == issue).toList();
        }
    }

    Optional<String> role(String login) {
        return Optional.ofNullable(roles.get(login.toLowerCase()));
    }

    Optional<Fault> takeFault() {
        return faults.isEmpty() ? Optional.empty() : Optional.of(faults.removeFirst());
    }

    private void event(Issue issue, String event, String actor, String label, String blockerRepo, Integer blocker) {
        Instant at = github.now();
        issue.timeline.add(new TimelineEvent(github.nextId(), event, actor, at, label, blockerRepo, blocker));
        issue.updatedAt = at;
    }
}
