package dev.afk.controlplane.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.afk.controlplane.fakes.LoopbackHttpFake.Response;
import dev.afk.controlplane.fakes.github.FakeGitHub;
import dev.afk.controlplane.fakes.github.FakeRepo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The outages the proof harness asks {@link ProofWorld} for ({@code POST /fault/<name>}), and the
 * judgement of how the service met them, from the requests the simulators saw:
 * <ul>
 * <li>{@code github-5xx}: the next 3 requests on every repository answer 502 or 503;</li>
 * <li>{@code github-secondary}: the next request on the first repository meets a secondary limit
 * answered 403, on the second one answered 429, both with {@code Retry-After: 5} (the service
 * holds every request back meanwhile, so each limit costs it 5 s);</li>
 * <li>{@code github-exhaust?seconds=N}: the token's budget is spent until the reset N seconds on
 * (403, {@code X-RateLimit-Remaining: 0}, {@code X-RateLimit-Reset});</li>
 * <li>{@code slack-429?seconds=N}: the next two Slack posts answer 429 with {@code Retry-After: N};</li>
 * <li>{@code t3-down}, {@code t3-up}: T3 unreachable (connections reset), then back.</li>
 * </ul>
 */
final class Faults {

    private final FakeGitHub github;
    private final String token;
    private final List<FakeRepo> repos;
    private final ProofWorld.TimedSlack slack;
    private final T3Gate gate;
    private final List<Long> t3Cuts = new CopyOnWriteArrayList<>();
    private final List<Long> t3Restores = new CopyOnWriteArrayList<>();
    private volatile Instant exhaustedFrom = Instant.MAX;
    private volatile Instant exhaustedUntil = Instant.MIN;
    private volatile int injected5xx;

    Faults(FakeGitHub github, String token, List<FakeRepo> repos, ProofWorld.TimedSlack slack, T3Gate gate) {
        this.github = github;
        this.token = token;
        this.repos = repos;
        this.slack = slack;
        this.gate = gate;
    }

    Response inject(String name, Map<String, String> query) {
        long seconds = Long.parseLong(query.getOrDefault("seconds", "10"));
        switch (name) {
            case "github-5xx" -> {
                for (int r = 0; r < repos.size(); r++) {
                    repos.get(r).failNext(3, r % 2 == 0 ? 502 : 503);
                }
                injected5xx += 3 * repos.size();
            }
            case "github-secondary" -> {
                repos.get(0).secondaryLimitNext(ProofWorld.SECONDARY_RETRY_AFTER);
                repos.get(1).tooManyRequestsNext(ProofWorld.SECONDARY_RETRY_AFTER);
            }
            case "github-exhaust" -> {
                exhaustedFrom = Instant.now();
                exhaustedUntil = exhaustedFrom.plusSeconds(seconds);
                github.exhaust(token, Duration.ofSeconds(seconds));
            }
            case "slack-429" -> {
                slack.rateLimitNext((int) seconds);
                slack.rateLimitNext((int) seconds);
            }
            case "t3-down" -> {
                t3Cuts.add(System.currentTimeMillis());
                gate.cut(true);
            }
            case "t3-up" -> {
                gate.cut(false);
                t3Restores.add(System.currentTimeMillis());
            }
            default -> {
                return Response.json(404, "{\"detail\": \"no such fault\"}");
            }
        }
        return Response.json(200, "{\"injected\": \"" + name + "\"}");
    }

    /**
     * Per dependency: the refusals answered, and every request that came while the service had
     * been told to wait (after a grace for requests already under way), which must be none.
     */
    ObjectNode judge(ObjectMapper json) {
        ObjectNode faults = json.createObjectNode();
        List<FakeGitHub.Call> calls = github.calls();
        ObjectNode gh = faults.putObject("github");
        int refusals = 0;
        int spent = 0;
        int fiveXx = 0;
        List<String> early = new ArrayList<>();
        List<String> hot = new ArrayList<>();
        Map<String, FakeGitHub.Call> lastFailed = new HashMap<>();
        for (FakeGitHub.Call call : calls) {
            String key = call.method() + " " + call.path();
            FakeGitHub.Call failed = lastFailed.remove(key);
            // A 5xx is retried after a back-off (1 s first, doubling): never in a tight loop.
            if (failed != null && Duration.between(failed.at(), call.at()).toMillis() < 500) {
                hot.add("%s answered %d at %s, again after %d ms".formatted(key, failed.status(), failed.at(),
                        Duration.between(failed.at(), call.at()).toMillis()));
            }
            if (call.status() >= 500) {
                fiveXx++;
                lastFailed.put(key, call);
            }
            if (call.status() != 403 && call.status() != 429) {
                continue;
            }
            refusals++;
            boolean exhausted = !call.at().isBefore(exhaustedFrom) && call.at().isBefore(exhaustedUntil);
            spent += exhausted ? 1 : 0;
            Instant until = exhausted ? exhaustedUntil : call.at().plusSeconds(ProofWorld.SECONDARY_RETRY_AFTER);
            Instant graceEnd = call.at().plusMillis(ProofWorld.IN_FLIGHT_MILLIS);
            for (FakeGitHub.Call later : calls) {
                // The reset is sent in whole seconds: allow the second it was rounded down by.
                Instant limit = exhausted ? until.minusSeconds(1) : until.minusMillis(250);
                if (token.equals(later.token()) && later.at().isAfter(graceEnd) && later.at().isBefore(limit)) {
                    early.add("%s %s at %s, %d ms before the wait (%s) told at %s ended".formatted(later.method(), later.path(),
                            later.at(), Duration.between(later.at(), until).toMillis(), exhausted ? "X-RateLimit-Reset" : "Retry-After",
                            call.at()));
                }
            }
        }
        gh.put("requests", calls.size()).put("refusals", refusals).put("budgetSpentRefusals", spent).put("errors5xx", fiveXx).put("errors5xxInjected", injected5xx);
        gh.set("early", json.valueToTree(early.stream().limit(10).toList()));
        gh.put("earlyCount", early.size());
        gh.set("hot", json.valueToTree(hot.stream().limit(10).toList()));

        ObjectNode sl = faults.putObject("slack");
        List<ProofWorld.Attempt> attempts = List.copyOf(slack.attempts);
        List<String> slackEarly = new ArrayList<>();
        int limited = 0;
        for (ProofWorld.Attempt refused : attempts) {
            if (refused.status() != 429) {
                continue;
            }
            limited++;
            long until = refused.at() + refused.retryAfter() * 1000;
            for (ProofWorld.Attempt later : attempts) {
                if (later.at() > refused.at() + ProofWorld.IN_FLIGHT_MILLIS && later.at() < until - 250) {
                    slackEarly.add("a post %d ms before the Retry-After told at %d ended".formatted(until - later.at(), refused.at()));
                }
            }
        }
        sl.put("requests", attempts.size()).put("limited", limited);
        sl.set("early", json.valueToTree(slackEarly.stream().limit(10).toList()));
        sl.put("earlyCount", slackEarly.size());

        ObjectNode t3 = faults.putObject("t3");
        long down = 0;
        for (int i = 0; i < t3Cuts.size(); i++) {
            down += (i < t3Restores.size() ? t3Restores.get(i) : System.currentTimeMillis()) - t3Cuts.get(i);
        }
        t3.put("downSeconds", down / 1000).put("refusedConnections", gate.refused());
        ArrayNode cuts = t3.putArray("cuts");
        t3Cuts.forEach(cuts::add);
        return faults;
    }
}
