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
    /** {@code title} and {@code summary} are the check's {@code output}; null when it reported none. */
    public record CheckRun(long id, String sha, String name, String status, String conclusion, long suiteId,
            String title, String summary) {}

    public record Status(long id, String sha, String context, String state, String description) {}

    public record WorkflowRun(long id, String sha, String name, String branch, String status, String conclusion, long suiteId) {}

    /**
     * A pull request as the fake holds it. Its number comes from the issues' sequence, as on
     * GitHub; unlike GitHub it is not also listed among the issues.
     */
    public static final class PullRequest {
        public final int number;
        public String title;
        public String body;
        public final String head;
        public final String base;
        public String state = "open";
        public boolean merged;
        public String mergeCommitSha;
        public String mergedBy;
        public String closedBy;
        public final Instant createdAt;
        public Instant updatedAt;
        public Instant closedAt;
        /** Set by a test: merging answers 405 as for a merge conflict. */
        public boolean conflicting;

        PullRequest(int number, String title, String body, String head, String base, Instant at) {
            this.number = number;
            this.title = title;
            this.body = body;
            this.head = head;
            this.base = base;
            this.createdAt = at;
            this.updatedAt = at;
        }
    }

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
    /** The plain-text log of each Actions job, by its id (a check run of Actions is its job). */
    final Map<Long, String> jobLogs = new HashMap<>();
    final Map<String, String> files = new HashMap<>();
    final List<Fault> faults = new ArrayList<>();
    final Map<Integer, PullRequest> pulls = new LinkedHashMap<>();
    /** Status contexts or check-run names that must be green on a pull request's head before it merges. */
    final Set<String> requiredChecks = new LinkedHashSet<>();
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

    /** Edits the issue's body as its author would in the UI: no timeline event, only the update time moves. */
    public FakeRepo editBody(int issue, String body) {
        synchronized (github) {
            Issue it = issue(issue);
            it.body = body;
            it.updatedAt = github.now();
        }
        return this;
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

    /** The shas of {@code branch}'s commits, oldest first. */
    public List<String> commits(String branch) {
        synchronized (github) {
            return commits.stream().filter(c -> c.branch().equals(branch)).map(CommitRecord::sha).toList();
        }
    }

    /** The newest commit on {@code branch}, if the branch has any. */
    public Optional<String> head(String branch) {
        synchronized (github) {
            for (int i = commits.size() - 1; i >= 0; i--) {
                if (commits.get(i).branch().equals(branch)) {
                    return Optional.of(commits.get(i).sha());
                }
            }
            return Optional.empty();
        }
    }

    /** Branch protection: these checks (check runs by name, statuses by context) must pass before a merge. */
    public FakeRepo requireChecks(String... names) {
        synchronized (github) {
            requiredChecks.addAll(List.of(names));
        }
        return this;
    }

    public PullRequest pullRequest(int number) {
        synchronized (github) {
            PullRequest pull = pulls.get(number);
            if (pull == null) {
                throw new IllegalArgumentException("no pull request #" + number + " in " + fullName());
            }
            return pull;
        }
    }

    public List<PullRequest> pullRequests() {
        synchronized (github) {
            return List.copyOf(pulls.values());
        }
    }

    /** A person closes the pull request without merging it. */
    public FakeRepo closePullRequest(int number, String actor) {
        synchronized (github) {
            PullRequest pull = pullRequest(number);
            pull.state = "closed";
            pull.closedBy = actor;
            pull.closedAt = github.now();
            pull.updatedAt = pull.closedAt;
        }
        return this;
    }

    /** Merging the pull request answers 405 as GitHub does for a merge conflict, until cleared. */
    public FakeRepo conflicting(int number, boolean conflicting) {
        synchronized (github) {
            pullRequest(number).conflicting = conflicting;
        }
        return this;
    }

    PullRequest openPull(String title, String body, String head, String base) {
        PullRequest pull = new PullRequest(nextIssue++, title, body, head, base, github.now());
        pulls.put(pull.number, pull);
        return pull;
    }

    /** The first required check that is not green on {@code sha}, with GitHub's wording of why. */
    Optional<String> unmetRequiredCheck(String sha) {
        for (String required : requiredChecks) {
            List<String> results = new ArrayList<>();
            checkRuns.stream().filter(r -> r.sha().equals(sha) && r.name().equals(required))
                    .forEach(r -> results.add("completed".equals(r.status()) ? r.conclusion() : "pending"));
            statuses.stream().filter(s -> s.sha().equals(sha) && s.context().equals(required))
                    .forEach(s -> results.add(s.state()));
            if (results.isEmpty() || results.contains("pending")) {
                return Optional.of("Required status check \"" + required + "\" is expected.");
            }
            if (!results.stream().allMatch(r -> r.equals("success") || r.equals("neutral") || r.equals("skipped"))) {
                return Optional.of("Required status check \"" + required + "\" is failing.");
            }
        }
        return Optional.empty();
    }

    /** The log of the Actions job that check run {@code checkRunId} is (GitHub keeps them as plain text). */
    public FakeRepo jobLog(long checkRunId, String text) {
        synchronized (github) {
            jobLogs.put(checkRunId, text);
        }
        return this;
    }

    /** A check run in a check suite of its own. */
    public long checkRun(String sha, String name, String status, String conclusion) {
        return checkRun(sha, name, status, conclusion, github.nextId());
    }

    /** A check run of check suite {@code suiteId}; {@code conclusion} null while not completed. */
    public long checkRun(String sha, String name, String status, String conclusion, long suiteId) {
        return checkRun(sha, name, status, conclusion, suiteId, null, null);
    }

    /** A completed check run in a suite of its own that reported this output title and summary. */
    public long checkRunWithOutput(String sha, String name, String conclusion, String title, String summary) {
        return checkRun(sha, name, "completed", conclusion, github.nextId(), title, summary);
    }

    private long checkRun(String sha, String name, String status, String conclusion, long suiteId, String title, String summary) {
        synchronized (github) {
            long id = github.nextId();
            checkRuns.add(new CheckRun(id, sha, name, status, conclusion, suiteId, title, summary));
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

    /** A file on the default branch, written by a commit there (so the branch head moves, as on GitHub). */
    public FakeRepo file(String path, String content) {
        synchronized (github) {
            files.put(path, content);
            commit(defaultBranch, "Update " + path);
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

    /** The next request hits a secondary rate limit answered 429 (GitHub's other status for it), with {@code Retry-After}. */
    public FakeRepo tooManyRequestsNext(long retryAfterSeconds) {
        synchronized (github) {
            faults.add(new Fault(429, retryAfterSeconds, Duration.ZERO));
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
