package dev.afk.controlplane.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The proof harness's judge, once the service is quiet: compares the database with what the
 * simulators saw ({@link ProofWorld}'s report) and prints one line per check on stdout,
 * {@code check <name> ok|FAIL <detail>}; exits 1 if any check fails.
 *
 * <p>Usage: {@code ProofVerdict <jdbc url> <report url> <kills file>}; the kills file has one line
 * per SIGKILL, {@code <epoch ms> <phases>}, and explains duplicate doorbell messages.
 */
public final class ProofVerdict {

    private final List<String> failures = new ArrayList<>();

    record Run(String id, String repo, int issue, String state, int fixForwards) {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: ProofVerdict <jdbc url> <report url> <kills file>");
            System.exit(2);
        }
        JsonNode report = new ObjectMapper().readTree(HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(args[1])).build(), HttpResponse.BodyHandlers.ofString()).body());
        List<Long> kills = Files.readAllLines(Path.of(args[2]), StandardCharsets.UTF_8).stream()
                .filter(line -> !line.isBlank()).map(line -> Long.parseLong(line.split("\\s+")[0])).toList();
        ProofVerdict verdict = new ProofVerdict();
        try (Connection db = DriverManager.getConnection(args[0], "afk", "afk")) {
            verdict.judge(db, report, kills);
        }
        System.exit(verdict.failures.isEmpty() ? 0 : 1);
    }

    void judge(Connection db, JsonNode report, List<Long> kills) throws SQLException {
        List<Run> runs = new ArrayList<>();
        try (ResultSet rows = db.createStatement().executeQuery(
                "select id, repo, issue, state, fix_forward_attempts from afk_run order by seq")) {
            while (rows.next()) {
                runs.add(new Run(rows.getString(1), rows.getString(2), rows.getInt(3), rows.getString(4), rows.getInt(5)));
            }
        }
        check("quiescent", count(db, "select count(*) from afk_run where active or effects_pending") == 0
                && count(db, "select count(*) from afk_run_effect where done_at is null") == 0,
                "no run active, no effect pending");

        Map<String, Run> byIssue = new HashMap<>();
        List<String> notOnce = new ArrayList<>();
        for (Run run : runs) {
            if (byIssue.put(run.repo() + "#" + run.issue(), run) != null) {
                notOnce.add(run.repo() + "#" + run.issue());
            }
        }
        JsonNode issues = report.path("issues");
        List<String> wrong = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<String> checklists = new ArrayList<>();
        for (JsonNode issue : issues) {
            String key = issue.path("repo").asText() + "#" + issue.path("number").asInt();
            Run run = byIssue.get(key);
            String expected = issue.path("body").asText().contains("sandbox-agent: fails") ? "ESCALATED" : "DONE";
            if (run == null || !run.state().equals(expected)) {
                wrong.add(key + " is " + (run == null ? "never dispatched" : run.state()) + ", not " + expected);
                continue;
            }
            Set<String> onIssue = new HashSet<>();
            issue.path("labels").forEach(label -> onIssue.add(label.asText()));
            boolean consistent = expected.equals("DONE")
                    ? issue.path("state").asText().equals("closed") && onIssue.isEmpty()
                    : issue.path("state").asText().equals("open") && onIssue.equals(Set.of("ready-for-human"));
            if (!consistent) {
                labels.add(key + " " + run.state() + " but " + issue.path("state").asText() + " " + onIssue);
            }
            if (issue.path("checklists").asInt() != 1) {
                checklists.add(key + " has " + issue.path("checklists").asInt());
            }
        }
        check("one-run-per-issue", notOnce.isEmpty(), notOnce.isEmpty() ? runs.size() + " runs" : "several runs: " + notOnce);
        check("runs-finished-as-expected", wrong.isEmpty(), wrong.isEmpty() ? issues.size() + " issues" : wrong.toString());
        check("labels-match-runs", labels.isEmpty(), labels.isEmpty() ? "closed and bare when DONE, ready-for-human when ESCALATED" : labels.toString());
        check("one-checklist-per-issue", checklists.isEmpty(), checklists.isEmpty() ? "exactly one each" : checklists.toString());
        judgeThreads(runs, report.path("threads"));
        judgeDoorbell(db, report, kills);
        if (report.has("faults")) {
            judgeFaults(report.path("faults"));
        }
    }

    /**
     * Outages (an {@code outages} world): no request while GitHub or Slack said to wait, 5xx retried
     * after a back-off and no more often than the bursts asked for, T3 knocked on sparingly while the
     * breaker held it off (without one, every tick of every run would try and retry it).
     */
    private void judgeFaults(JsonNode faults) {
        JsonNode github = faults.path("github");
        int spent = github.path("budgetSpentRefusals").asInt();
        int secondary = github.path("refusals").asInt() - spent;
        // While the budget is spent the simulator refuses every request, so none refused for it means
        // none was sent until the reset (a quiet service may send none at all); the gauge check
        // (github-budget-shown) is what shows the service saw the budget spent.
        check("github-waits-honoured", secondary > 0 && github.path("earlyCount").asInt() == 0,
                "%d secondary-limit refusals (Retry-After), %d for the spent budget (X-RateLimit-Reset), %d requests before the wait ended %s"
                        .formatted(secondary, spent, github.path("earlyCount").asInt(), github.path("early")));
        check("github-5xx-retries-bounded", github.path("errors5xx").asInt() <= github.path("errors5xxInjected").asInt()
                        && github.path("hot").isEmpty(),
                "%d 5xx answered of %d injected, retries after a back-off %s".formatted(github.path("errors5xx").asInt(),
                        github.path("errors5xxInjected").asInt(), github.path("hot")));
        JsonNode slack = faults.path("slack");
        check("slack-retry-after-honoured", slack.path("limited").asInt() > 0 && slack.path("earlyCount").asInt() == 0,
                "%d 429s, %d posts before Retry-After ended %s".formatted(slack.path("limited").asInt(),
                        slack.path("earlyCount").asInt(), slack.path("early")));
        JsonNode t3 = faults.path("t3");
        long down = t3.path("downSeconds").asLong();
        int refused = t3.path("refusedConnections").asInt();
        check("t3-knocks-bounded", down > 0 && refused <= 30 + down,
                "%d connections refused over %d s unreachable (at most 30 + one a second)".formatted(refused, down));
    }

    /** No double dispatch: one thread per run, named after it; one turn per attempt; no thread of an unknown run. */
    private void judgeThreads(List<Run> runs, JsonNode threads) {
        Map<String, JsonNode> byId = new HashMap<>();
        threads.forEach(thread -> byId.put(thread.path("id").asText(), thread));
        Set<String> expectedIds = new HashSet<>();
        List<String> wrong = new ArrayList<>();
        for (Run run : runs) {
            String threadId = UUID.nameUUIDFromBytes((run.id() + "/thread").getBytes(StandardCharsets.UTF_8)).toString();
            expectedIds.add(threadId);
            JsonNode thread = byId.get(threadId);
            if (thread == null) {
                wrong.add(run.repo() + "#" + run.issue() + " has no thread");
                continue;
            }
            int turns = thread.path("turns").asInt();
            if (turns != 1 + run.fixForwards()) {
                wrong.add(run.repo() + "#" + run.issue() + ": " + turns + " turns for " + (1 + run.fixForwards()) + " attempts");
            }
        }
        for (JsonNode thread : threads) {
            if (!expectedIds.contains(thread.path("id").asText())) {
                wrong.add("thread " + thread.path("id").asText() + " of runs " + thread.path("runs") + " belongs to no run's id");
            }
        }
        check("no-double-dispatch", wrong.isEmpty(),
                wrong.isEmpty() ? threads.size() + " threads for " + runs.size() + " runs, one turn per attempt" : wrong.toString());
    }

    /** Every ring delivered on every channel; a message twice only if a kill fell between the two. */
    private void judgeDoorbell(Connection db, JsonNode report, List<Long> kills) throws SQLException {
        // A queue item rings only its agent's own bindings (none here), never these channels.
        int rings = count(db, "select count(*) from doorbell_ring where dedup_key not like 'queue:%'");
        int undelivered = count(db, "select count(*) from doorbell_delivery where state <> 'DELIVERED'");
        for (String channel : List.of("slack", "ntfy")) {
            int delivered = count(db, "select count(*) from doorbell_delivery where state = 'DELIVERED' and channel = '"
                    + channel + "'");
            Map<String, Long> lastSeen = new HashMap<>();
            int duplicates = 0;
            List<String> unexplained = new ArrayList<>();
            for (JsonNode message : report.path(channel)) {
                long at = message.path("at").asLong();
                Long before = lastSeen.put(message.path("text").asText(), at);
                if (before != null) {
                    duplicates++;
                    if (kills.stream().noneMatch(kill -> kill > before && kill < at)) {
                        unexplained.add(message.path("text").asText());
                    }
                }
            }
            int distinct = lastSeen.size();
            check("doorbell-" + channel, delivered == rings && distinct == rings && unexplained.isEmpty(),
                    "%d rings, %d delivered, %d received (%d duplicates across a kill)%s".formatted(rings, delivered,
                            distinct + duplicates, duplicates - unexplained.size(),
                            unexplained.isEmpty() ? "" : ", duplicates with no kill between: " + unexplained));
        }
        check("doorbell-outbox-drained", undelivered == 0, undelivered + " deliveries not DELIVERED");
    }

    private static int count(Connection db, String sql) throws SQLException {
        try (ResultSet rows = db.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private void check(String name, boolean ok, String detail) {
        System.out.println("check " + name + " " + (ok ? "ok" : "FAIL") + " " + detail);
        if (!ok) {
            failures.add(name);
        }
    }
}
