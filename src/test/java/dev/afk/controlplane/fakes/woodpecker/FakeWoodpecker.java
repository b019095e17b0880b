package dev.afk.controlplane.fakes.woodpecker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.afk.controlplane.fakes.ContractSchemas;
import dev.afk.controlplane.fakes.LoopbackHttpFake;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Woodpecker's repository lookup, pipeline list, one pipeline and a step's log download
 * (woodpecker-openapi-subset.json, base path {@code /api}): bearer auth, pipelines newest first with
 * {@code page}/{@code perPage}, filtered by branch; a step's log is its lines joined by newlines, as
 * plain text, and only for a step of that pipeline.
 */
public class FakeWoodpecker extends LoopbackHttpFake {

    public static final String TOKEN = "woodpecker_fake_token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ContractSchemas CONTRACT = ContractSchemas.load("woodpecker-openapi-subset.json");
    private static final Pattern LOOKUP = Pattern.compile("/api/repos/lookup/(.+)");
    private static final Pattern PIPELINES = Pattern.compile("/api/repos/(\\d+)/pipelines");
    private static final Pattern PIPELINE = Pattern.compile("/api/repos/(\\d+)/pipelines/(\\d+)");
    private static final Pattern STEP_LOG = Pattern.compile("/api/repos/(\\d+)/logs/(\\d+)/(\\d+)/download");

    private final Map<String, ObjectNode> repos = new ConcurrentHashMap<>();
    private final Map<Long, List<ObjectNode>> pipelines = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(100);
    private final AtomicInteger lookups = new AtomicInteger();
    /** Log lines by step id. */
    private final Map<Long, List<String>> stepLogs = new ConcurrentHashMap<>();
    private final List<String> logReads = new CopyOnWriteArrayList<>();

    public static ContractSchemas contract() {
        return CONTRACT;
    }

    /** Activates a repository; answers its id. */
    public long addRepo(String fullName, String defaultBranch) {
        long id = ids.incrementAndGet();
        String[] parts = fullName.split("/");
        repos.put(fullName, JSON.createObjectNode().put("id", id).put("forge_remote_id", Long.toString(id))
                .put("owner", parts[0]).put("name", parts[1]).put("full_name", fullName)
                .put("default_branch", defaultBranch).put("active", true)
                .put("forge_url", "https://github.com/" + fullName).put("visibility", "private"));
        return id;
    }

    /**
     * Adds a pipeline; {@code failedSteps} names steps of its one workflow that ended in
     * {@code failure}. Answers its number.
     */
    public long addPipeline(long repoId, String sha, String branch, String status, String... failedSteps) {
        List<ObjectNode> list = pipelines.computeIfAbsent(repoId, k -> new CopyOnWriteArrayList<>());
        long number = list.size() + 1;
        ObjectNode pipeline = JSON.createObjectNode().put("id", ids.incrementAndGet()).put("number", number)
                .put("commit", sha).put("branch", branch).put("ref", "refs/heads/" + branch).put("event", "push")
                .put("status", status).put("author", "afk-agent").put("message", "Refs #1")
                .put("created", 1_700_000_000L + number).put("forge_url", "https://github.com/commit/" + sha);
        ObjectNode workflow = pipeline.putArray("workflows").addObject()
                .put("id", number * 10).put("pipeline_id", pipeline.get("id").asLong()).put("name", "deploy")
                .put("state", List.of(failedSteps).isEmpty() ? status : "failure");
        ArrayNode steps = workflow.putArray("children");
        steps.addObject().put("id", number * 100).put("name", "clone").put("state", "success").put("exit_code", 0).put("type", "clone");
        for (String step : failedSteps) {
            steps.addObject().put("id", ids.incrementAndGet()).put("name", step).put("state", "failure").put("exit_code", 2)
                    .put("type", "commands");
        }
        list.add(pipeline);
        return number;
    }

    /** The log of step {@code step} of pipeline {@code number}, one entry per line. */
    public void stepLog(long repoId, long number, String step, String text) {
        ObjectNode pipeline = pipeline(repoId, number).orElseThrow();
        for (var s : pipeline.get("workflows").get(0).get("children")) {
            if (step.equals(s.get("name").asText())) {
                stepLogs.put(s.get("id").asLong(), List.of(text.split("\n", -1)));
                return;
            }
        }
        throw new IllegalArgumentException("no step " + step + " in pipeline " + number);
    }

    /** Every step log download, as its path. */
    public List<String> logReads() {
        return List.copyOf(logReads);
    }

    private java.util.Optional<ObjectNode> pipeline(long repoId, long number) {
        return pipelines.getOrDefault(repoId, List.of()).stream().filter(p -> p.get("number").asLong() == number).findFirst();
    }

    public int lookups() {
        return lookups.get();
    }

    @Override
    protected Response handle(Request request) {
        if (!("Bearer " + TOKEN).equals(request.header("Authorization"))) {
            return Response.text(401, "Unauthorized");
        }
        Matcher lookup = LOOKUP.matcher(request.path());
        if (lookup.matches()) {
            lookups.incrementAndGet();
            ObjectNode repo = repos.get(URLDecoder.decode(lookup.group(1), StandardCharsets.UTF_8));
            return repo == null ? Response.text(404, "Not Found") : Response.json(200, repo.toString());
        }
        Matcher one = PIPELINE.matcher(request.path());
        if (one.matches()) {
            return pipeline(Long.parseLong(one.group(1)), Long.parseLong(one.group(2)))
                    .map(p -> Response.json(200, p.toString())).orElse(Response.text(404, "Not Found"));
        }
        Matcher log = STEP_LOG.matcher(request.path());
        if (log.matches()) {
            long stepId = Long.parseLong(log.group(3));
            // The step must belong to the pipeline (Woodpecker loads both and compares).
            boolean ofPipeline = pipeline(Long.parseLong(log.group(1)), Long.parseLong(log.group(2)))
                    .map(p -> p.get("workflows").valueStream().flatMap(w -> w.get("children").valueStream())
                            .anyMatch(step -> step.get("id").asLong() == stepId)).orElse(false);
            List<String> lines = stepLogs.get(stepId);
            if (!ofPipeline || lines == null) {
                return Response.text(404, "Not Found");
            }
            logReads.add(request.path());
            return Response.text(200, String.join("\n", lines));
        }
        Matcher list = PIPELINES.matcher(request.path());
        if (list.matches()) {
            long repoId = Long.parseLong(list.group(1));
            if (repos.values().stream().noneMatch(r -> r.get("id").asLong() == repoId)) {
                return Response.text(404, "Not Found");
            }
            Map<String, String> query = query(request);
            int page = Integer.parseInt(query.getOrDefault("page", "1"));
            int perPage = Integer.parseInt(query.getOrDefault("perPage", "50"));
            String branch = query.get("branch");
            ArrayNode body = JSON.createArrayNode();
            pipelines.getOrDefault(repoId, List.of()).stream()
                    .filter(p -> branch == null || branch.equals(p.get("branch").asText()))
                    .sorted(Comparator.comparingLong((ObjectNode p) -> p.get("number").asLong()).reversed())
                    .skip((long) (page - 1) * perPage).limit(perPage)
                    .forEach(body::add);
            return Response.json(200, body.toString());
        }
        return Response.text(404, "Not Found");
    }
}
