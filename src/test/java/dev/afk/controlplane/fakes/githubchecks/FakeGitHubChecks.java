package dev.afk.controlplane.fakes.githubchecks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.afk.controlplane.fakes.ContractSchemas;
import dev.afk.controlplane.fakes.LoopbackHttpFake;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GitHub's check runs, combined status and workflow runs for commits, as the REST API answers them
 * (shapes from github-openapi-subset.json): bearer auth, pages with {@code Link}, ETags with 304
 * (which cost no rate limit), rate-limit headers, and a secondary limit on demand.
 */
public class FakeGitHubChecks extends LoopbackHttpFake {

    public static final String TOKEN = "ghs_fake_ci_token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ContractSchemas CONTRACT = ContractSchemas.load("github-openapi-subset.json");
    private static final Pattern COMMIT = Pattern.compile("/repos/([^/]+)/([^/]+)/commits/([^/]+)/(check-runs|status)");
    private static final Pattern RUNS = Pattern.compile("/repos/([^/]+)/([^/]+)/actions/runs");

    private final Map<String, List<ObjectNode>> checkRuns = new ConcurrentHashMap<>();
    private final Map<String, List<ObjectNode>> statuses = new ConcurrentHashMap<>();
    private final Map<String, List<ObjectNode>> workflowRuns = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(1000);
    private final AtomicInteger rateLimitRemaining = new AtomicInteger(5000);
    private final AtomicLong rateLimitReset = new AtomicLong(Instant.now().plusSeconds(3600).getEpochSecond());
    private final AtomicInteger notModified = new AtomicInteger();
    private volatile Integer secondaryLimitSeconds;

    public static ContractSchemas contract() {
        return CONTRACT;
    }

    /** Adds a check run; {@code conclusion} null while not completed. */
    public ObjectNode addCheckRun(String repo, String sha, String name, String status, String conclusion, long suiteId) {
        long id = ids.incrementAndGet();
        ObjectNode run = CONTRACT.example("/components/schemas/check-run");
        run.put("id", id).put("node_id", "CR_" + id).put("head_sha", sha).put("name", name)
                .put("url", "https://api.github.com/repos/" + repo + "/check-runs/" + id)
                .put("html_url", "https://github.com/" + repo + "/runs/" + id)
                .put("details_url", "https://github.com/" + repo + "/runs/" + id)
                .put("status", status).put("conclusion", conclusion)
                .put("started_at", "2026-11-24T10:00:00Z");
        run.set("check_suite", JSON.createObjectNode().put("id", suiteId));
        checkRuns.computeIfAbsent(key(repo, sha), k -> new CopyOnWriteArrayList<>()).add(run);
        return run;
    }

    public ObjectNode addStatus(String repo, String sha, String context, String state, String description) {
        long id = ids.incrementAndGet();
        ObjectNode status = CONTRACT.example("/components/schemas/simple-commit-status");
        status.put("id", id).put("node_id", "SC_" + id).put("state", state).put("context", context)
                .put("description", description).put("target_url", "https://ci.example.org/" + context)
                .put("url", "https://api.github.com/repos/" + repo + "/statuses/" + sha);
        statuses.computeIfAbsent(key(repo, sha), k -> new CopyOnWriteArrayList<>()).add(status);
        return status;
    }

    public ObjectNode addWorkflowRun(String repo, String sha, String name, String status, String conclusion, long suiteId) {
        long id = ids.incrementAndGet();
        ObjectNode run = CONTRACT.example("/components/schemas/workflow-run");
        run.put("id", id).put("node_id", "WR_" + id).put("name", name).put("display_title", name).put("head_sha", sha)
                .put("head_branch", "main").put("event", "push").put("status", status).put("conclusion", conclusion)
                .put("check_suite_id", suiteId).put("html_url", "https://github.com/" + repo + "/actions/runs/" + id);
        workflowRuns.computeIfAbsent(key(repo, sha), k -> new CopyOnWriteArrayList<>()).add(run);
        return run;
    }

    /** The next answers report this many requests left, resetting at {@code reset}. */
    public void rateLimit(int remaining, Instant reset) {
        rateLimitRemaining.set(remaining);
        rateLimitReset.set(reset.getEpochSecond());
    }

    /** The next request is refused by a secondary rate limit with this Retry-After. */
    public void secondaryLimitOnce(int retryAfterSeconds) {
        secondaryLimitSeconds = retryAfterSeconds;
    }

    public int notModifiedAnswers() {
        return notModified.get();
    }

    @Override
    protected Response handle(Request request) {
        if (!("Bearer " + TOKEN).equals(request.header("Authorization"))) {
            return Response.json(401, "{\"message\":\"Bad credentials\"}");
        }
        Integer secondary = secondaryLimitSeconds;
        if (secondary != null) {
            secondaryLimitSeconds = null;
            return Response.json(403, "{\"message\":\"You have exceeded a secondary rate limit.\"}")
                    .withHeaders(Map.of("Retry-After", secondary.toString()));
        }
        Map<String, String> query = query(request);
        int perPage = Integer.parseInt(query.getOrDefault("per_page", "30"));
        int page = Integer.parseInt(query.getOrDefault("page", "1"));
        Matcher commit = COMMIT.matcher(request.path());
        Matcher runs = RUNS.matcher(request.path());
        String base = url() + request.path() + "?" + withoutPage(request.query());
        if (commit.matches()) {
            String key = key(commit.group(1) + "/" + commit.group(2), commit.group(3));
            if (commit.group(4).equals("check-runs")) {
                List<ObjectNode> all = checkRuns.getOrDefault(key, List.of());
                ObjectNode body = JSON.createObjectNode().put("total_count", all.size());
                body.set("check_runs", page(all, page, perPage));
                return answer(request, body, links(base, page, perPage, all.size()));
            }
            List<ObjectNode> all = statuses.getOrDefault(key, List.of());
            ObjectNode body = CONTRACT.example("/components/schemas/combined-commit-status");
            body.put("state", combinedState(all)).put("sha", commit.group(3)).put("total_count", all.size());
            body.set("statuses", page(all, page, perPage));
            return answer(request, body, links(base, page, perPage, all.size()));
        }
        if (runs.matches()) {
            List<ObjectNode> all = workflowRuns.getOrDefault(key(runs.group(1) + "/" + runs.group(2),
                    query.getOrDefault("head_sha", "")), List.of());
            ObjectNode body = JSON.createObjectNode().put("total_count", all.size());
            body.set("workflow_runs", page(all, page, perPage));
            return answer(request, body, links(base, page, perPage, all.size()));
        }
        return Response.json(404, "{\"message\":\"Not Found\"}");
    }

    private Response answer(Request request, ObjectNode body, String link) {
        String json = body.toString();
        String etag = "\"" + Integer.toHexString(json.hashCode()) + "\"";
        Map<String, String> headers = new HashMap<>(Map.of("ETag", etag,
                "x-ratelimit-limit", "5000",
                "x-ratelimit-reset", Long.toString(rateLimitReset.get())));
        if (link != null) {
            headers.put("Link", link);
        }
        if (etag.equals(request.header("If-None-Match"))) {
            notModified.incrementAndGet();
            headers.put("x-ratelimit-remaining", Integer.toString(rateLimitRemaining.get()));
            return new Response(304, "application/json", null, headers);
        }
        headers.put("x-ratelimit-remaining", Integer.toString(Math.max(0, rateLimitRemaining.decrementAndGet())));
        return Response.json(200, json).withHeaders(headers);
    }

    /** failure if any failed or errored, pending if any pending or none at all, else success. */
    private static String combinedState(List<ObjectNode> statuses) {
        List<String> states = statuses.stream().map(s -> s.get("state").asText()).toList();
        if (states.contains("failure") || states.contains("error")) {
            return "failure";
        }
        return states.isEmpty() || states.contains("pending") ? "pending" : "success";
    }

    private static ArrayNode page(List<ObjectNode> all, int page, int perPage) {
        ArrayNode items = JSON.createArrayNode();
        all.stream().skip((long) (page - 1) * perPage).limit(perPage).forEach(items::add);
        return items;
    }

    private static String links(String base, int page, int perPage, int total) {
        int last = Math.max(1, (total + perPage - 1) / perPage);
        if (page >= last) {
            return null;
        }
        return "<" + base + "&page=" + (page + 1) + ">; rel=\"next\", <" + base + "&page=" + last + ">; rel=\"last\"";
    }

    private static String withoutPage(String query) {
        return query == null ? "" : String.join("&", Arrays.stream(query.split("&"))
                .filter(p -> !p.startsWith("page=")).toList());
    }

    private static String key(String repo, String sha) {
        return repo + "@" + sha;
    }
}
