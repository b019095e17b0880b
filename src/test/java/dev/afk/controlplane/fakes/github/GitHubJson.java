package dev.afk.controlplane.fakes.github;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * GitHub's JSON representations, built as a minimal valid sample of the contract's schema with the
 * fake's state written over it: what the adapters read is real, the rest is merely well-formed.
 */
final class GitHubJson {

    private static final Map<String, JsonObject> SAMPLES = new ConcurrentHashMap<>();

    private GitHubJson() {}

    static JsonObject sample(String schema) {
        return SAMPLES.computeIfAbsent(schema, s -> GitHubContracts.rest().sampleOfSchema(s)).copy();
    }

    static JsonObject user(String login, String api) {
        return sample("simple-user").put("login", login).put("id", Math.abs((long) login.hashCode()))
                .put("type", login.endsWith("[bot]") ? "Bot" : "User").put("url", api + "/users/" + login)
                .put("html_url", "https://github.example/" + login);
    }

    static JsonObject label(String name, String api) {
        return sample("label").put("name", name).put("id", Math.abs((long) name.hashCode())).put("color", "ededed")
                .put("url", api + "/labels/" + name).put("description", null).put("default", false);
    }

    static JsonObject repository(String schema, String fullName, String api) {
        String name = fullName.substring(fullName.indexOf('/') + 1);
        String owner = fullName.substring(0, fullName.indexOf('/'));
        return sample(schema).put("full_name", fullName).put("name", name).put("owner", user(owner, api))
                .put("url", api + "/repos/" + fullName).put("html_url", "https://github.example/" + fullName);
    }

    static JsonObject issue(FakeRepo repo, FakeRepo.Issue issue, String api) {
        String url = api + "/repos/" + repo.fullName() + "/issues/" + issue.number;
        JsonObject json = sample("issue")
                .put("id", (long) repo.fullName().hashCode() * 10_000 + issue.number)
                .put("number", issue.number).put("title", issue.title).put("body", issue.body)
                .put("state", issue.state).put("state_reason", issue.stateReason)
                .put("labels", new JsonArray(issue.labels.stream().map(l -> (Object) label(l, api)).toList()))
                .put("user", user(issue.author, api)).put("assignee", null).put("assignees", new JsonArray()).put("milestone", null)
                .put("locked", false).put("comments", repo.comments(issue.number).size())
                .put("created_at", issue.createdAt.toString()).put("updated_at", issue.updatedAt.toString())
                .put("closed_at", issue.closedAt == null ? null : issue.closedAt.toString())
                .put("url", url).put("html_url", "https://github.example/" + repo.fullName() + "/issues/" + issue.number)
                .put("repository_url", api + "/repos/" + repo.fullName()).put("timeline_url", url + "/timeline");
        // GitHub answers the summary on every issue, zeros included.
        long total = issue.timeline.stream().filter(e -> e.event().startsWith("blocked_by_"))
                .mapToLong(e -> e.event().equals("blocked_by_added") ? 1 : -1).sum();
        json.put("issue_dependencies_summary", new JsonObject().put("blocked_by", total).put("blocking", 0)
                .put("total_blocked_by", total).put("total_blocking", 0));
        return json;
    }

    /** {@code schema}: {@code pull-request} (one) or {@code pull-request-simple} (in lists). */
    static JsonObject pullRequest(String schema, FakeRepo repo, FakeRepo.PullRequest pull, String api) {
        String url = api + "/repos/" + repo.fullName() + "/pulls/" + pull.number;
        String html = "https://github.example/" + repo.fullName() + "/pull/" + pull.number;
        JsonObject json = sample(schema)
                .put("id", (long) repo.fullName().hashCode() * 10_000 + pull.number).put("number", pull.number)
                .put("title", pull.title).put("body", pull.body).put("state", pull.state).put("locked", false)
                .put("user", user("afk-bot", api)).put("draft", false)
                .put("head", branch(repo, pull.head, repo.head(pull.head).orElse(null), api))
                .put("base", branch(repo, pull.base, repo.head(pull.base).orElse(null), api))
                .put("created_at", pull.createdAt.toString()).put("updated_at", pull.updatedAt.toString())
                .put("closed_at", pull.closedAt == null ? null : pull.closedAt.toString())
                .put("merged_at", pull.merged ? pull.closedAt.toString() : null)
                .put("merge_commit_sha", pull.mergeCommitSha)
                .put("url", url).put("html_url", html).put("issue_url", api + "/repos/" + repo.fullName() + "/issues/" + pull.number);
        if (schema.equals("pull-request")) {
            json.put("merged", pull.merged).put("merged_by", pull.mergedBy == null ? null : user(pull.mergedBy, api))
                    .put("mergeable", pull.state.equals("open") ? !pull.conflicting : null)
                    .put("mergeable_state", !pull.state.equals("open") ? "unknown" : pull.conflicting ? "dirty" : "clean");
        }
        return json;
    }

    private static JsonObject branch(FakeRepo repo, String ref, String sha, String api) {
        return new JsonObject().put("label", repo.owner + ":" + ref).put("ref", ref).put("sha", sha == null ? "" : sha)
                .put("user", user(repo.owner, api)).put("repo", repository("repository", repo.fullName(), api));
    }

    static JsonObject timelineEvent(FakeRepo repo, FakeRepo.TimelineEvent event, String api) {
        String schema = switch (event.event()) {
            case "labeled" -> "labeled-issue-event";
            case "unlabeled" -> "unlabeled-issue-event";
            case "blocked_by_added" -> "blocked-by-added-issue-event";
            case "blocked_by_removed" -> "blocked-by-removed-issue-event";
            default -> "state-change-issue-event";
        };
        JsonObject json = sample(schema).put("id", event.id()).put("event", event.event()).put("actor", user(event.actor(), api))
                .put("created_at", event.at().toString()).put("url", api + "/repos/" + repo.fullName() + "/issues/events/" + event.id())
                .put("commit_id", null).put("commit_url", null).put("performed_via_github_app", null);
        if (event.label() != null) {
            json.put("label", new JsonObject().put("name", event.label()).put("color", "ededed"));
        }
        if (event.blockerNumber() != null) {
            json.put("blocked_by", sample("blocked-by-added-issue-event").getJsonObject("blocked_by")
                    .put("number", event.blockerNumber()).put("title", "blocker").put("state", "open")
                    .put("repository", repository("simple-repository", event.blockerRepo(), api)).put("issue_type", null));
        }
        return json;
    }

    /** An entry of the repository's issue-events feed ({@code issue-event} of the feed's own contract). */
    static JsonObject issueEvent(FakeRepo repo, FakeRepo.Issue issue, FakeRepo.TimelineEvent event, String api) {
        JsonObject json = GitHubContracts.issueEvents().sampleOfSchema("issue-event")
                .put("id", event.id()).put("node_id", "IE_" + event.id()).put("event", event.event())
                .put("actor", user(event.actor(), api)).put("created_at", event.at().toString())
                .put("url", api + "/repos/" + repo.fullName() + "/issues/events/" + event.id())
                .put("commit_id", null).put("commit_url", null).put("issue", issue(repo, issue, api));
        if (event.label() != null) {
            json.put("label", new JsonObject().put("name", event.label()).put("color", "ededed"));
        }
        return json;
    }

    static JsonObject comment(FakeRepo repo, FakeRepo.Comment comment, String api) {
        return sample("issue-comment").put("id", comment.id()).put("body", comment.body()).put("user", user(comment.author(), api))
                .put("created_at", comment.createdAt().toString()).put("updated_at", comment.updatedAt().toString())
                .put("url", api + "/repos/" + repo.fullName() + "/issues/comments/" + comment.id())
                .put("issue_url", api + "/repos/" + repo.fullName() + "/issues/" + comment.issue());
    }

    /** GitHub's answer folds maintain into write and triage into read in {@code permission}; {@code role_name} keeps the role. */
    static JsonObject permission(String login, String role, String api) {
        String permission = switch (role) {
            case "admin" -> "admin";
            case "maintain", "write" -> "write";
            case "triage", "read" -> "read";
            default -> "none";
        };
        JsonObject collaborator = sample("repository-collaborator-permission").getJsonObject("user")
                .mergeIn(user(login, api)).put("role_name", role);
        return sample("repository-collaborator-permission").put("permission", permission).put("role_name", role).put("user", collaborator);
    }

    static JsonObject commit(FakeRepo repo, FakeRepo.CommitRecord commit, String api) {
        JsonObject json = sample("commit");
        JsonObject person = new JsonObject().put("name", "agent").put("email", "agent@example.org").put("date", commit.at().toString());
        json.getJsonObject("commit").put("message", commit.message()).put("author", person).put("committer", person.copy())
                .put("url", api + "/repos/" + repo.fullName() + "/git/commits/" + commit.sha());
        return json.put("sha", commit.sha()).put("url", api + "/repos/" + repo.fullName() + "/commits/" + commit.sha())
                .put("author", null).put("committer", null).put("parents", new JsonArray());
    }

    static JsonObject checkRun(FakeRepo repo, FakeRepo.CheckRun run, String api) {
        String page = "https://github.com/" + repo.fullName() + "/runs/" + run.id();
        return sample("check-run").put("id", run.id()).put("head_sha", run.sha()).put("name", run.name())
                .put("status", run.status()).put("conclusion", run.conclusion())
                .put("url", api + "/repos/" + repo.fullName() + "/check-runs/" + run.id())
                .put("html_url", page).put("details_url", page)
                .put("check_suite", new JsonObject().put("id", run.suiteId()))
                .put("output", new JsonObject().put("title", run.title()).put("summary", run.summary()).putNull("text")
                        .put("annotations_count", 0).put("annotations_url", api + "/repos/" + repo.fullName()
                                + "/check-runs/" + run.id() + "/annotations"));
    }

    /** The combined state is of every status; {@code onPage} are the ones this page lists. */
    static JsonObject combinedStatus(FakeRepo repo, String sha, List<FakeRepo.Status> statuses, List<FakeRepo.Status> onPage, String api) {
        String state = statuses.stream().anyMatch(s -> s.state().equals("failure") || s.state().equals("error")) ? "failure"
                : statuses.stream().allMatch(s -> s.state().equals("success")) && !statuses.isEmpty() ? "success" : "pending";
        JsonArray items = new JsonArray(onPage.stream().map(s -> (Object) sample("simple-commit-status").put("id", s.id())
                .put("context", s.context()).put("state", s.state()).put("description", s.description())
                .put("target_url", "https://ci.example.org/" + s.context())).toList());
        return sample("combined-commit-status").put("state", state).put("sha", sha).put("total_count", statuses.size())
                .put("statuses", items).put("repository", repository("minimal-repository", repo.fullName(), api));
    }

    static JsonObject workflowRun(FakeRepo repo, FakeRepo.WorkflowRun run, String api) {
        return sample("workflow-run").put("id", run.id()).put("name", run.name()).put("head_sha", run.sha())
                .put("head_branch", run.branch()).put("status", run.status()).put("conclusion", run.conclusion())
                .put("check_suite_id", run.suiteId()).put("html_url", "https://github.com/" + repo.fullName() + "/actions/runs/" + run.id())
                .put("repository", repository("minimal-repository", repo.fullName(), api))
                .put("head_repository", repository("minimal-repository", repo.fullName(), api));
    }

    static JsonObject rateLimit(int limit, int remaining, Instant reset) {
        JsonObject rate = new JsonObject().put("limit", limit).put("remaining", remaining).put("reset", reset.getEpochSecond())
                .put("used", limit - remaining);
        return sample("rate-limit-overview").put("rate", rate)
                .put("resources", new JsonObject().put("core", rate.copy()).put("search", new JsonObject()
                        .put("limit", 30).put("remaining", 30).put("reset", reset.getEpochSecond()).put("used", 0)));
    }
}
