package dev.afk.controlplane.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.afk.controlplane.fakes.LoopbackHttpFake;
import dev.afk.controlplane.fakes.github.FakeGitHub;
import dev.afk.controlplane.fakes.github.FakeRepo;
import dev.afk.controlplane.fakes.ntfy.FakeNtfy;
import dev.afk.controlplane.fakes.slack.FakeSlack;
import dev.afk.controlplane.fakes.t3.FakeT3Server;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The world the proof harness ({@code scripts/proof}) runs the packaged service in: simulators of
 * GitHub, T3, CI, Slack and ntfy in a process of their own, so that they outlive every service
 * process the harness kills, and keep counting across them. It seeds {@code repos} repositories with
 * {@code issues} ready issues each, enrolls them once the service answers, answers the agent's
 * questions as an operator would, and reports what the simulators saw on {@code GET /report}.
 *
 * <p>Usage: {@code ProofWorld <state dir> <control port> <service URL> <repos> <issues> <mixed|plain>};
 * the state dir holds {@code admin-token} and receives {@code proof.env}, then {@code ready} once the
 * repositories are enrolled and the kill switch released. In a {@code mixed} world
 * every fifth issue's agent asks a question, one pushes a commit CI fails (a fix-forward follows),
 * one gives up (the run escalates); in a {@code plain} world every agent completes. An
 * {@code outages} world is a mixed one whose simulators fail on request ({@code POST /fault/...},
 * see {@link Report}) and which reports, under {@code faults}, whether the service waited as each
 * refusal asked.
 */
public final class ProofWorld {

    static final String READY = "ready-for-agent";
    private static final String[] MIXED = {"completes", "reds", "asks Which greeting? | Hello | Hi", "completes", "fails"};
    private static final Pattern RUN = Pattern.compile("AFK-Run: (\\S+)");
    /** The {@code Retry-After} of the secondary limits injected (seconds). */
    static final long SECONDARY_RETRY_AFTER = 5;
    /** A request the service sent before a refusal reached it may arrive this much after the refusal. */
    static final long IN_FLIGHT_MILLIS = 1000;

    private ProofWorld() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 6 || !Set.of("mixed", "plain", "outages").contains(args[5])) {
            System.err.println("usage: ProofWorld <state dir> <control port> <service URL> <repos> <issues> <mixed|plain|outages>");
            System.exit(2);
        }
        Path dir = Path.of(args[0]).toAbsolutePath().normalize();
        int controlPort = Integer.parseInt(args[1]);
        URI service = URI.create(args[2]);
        int repos = Integer.parseInt(args[3]);
        int issues = Integer.parseInt(args[4]);
        boolean outages = args[5].equals("outages");
        boolean mixed = !args[5].equals("plain");

        FakeGitHub github = FakeGitHub.start().rateLimit(1_000_000);
        String githubToken = "proof_" + Sandbox.random();
        github.acceptToken(githubToken);
        FakeT3Server t3 = new FakeT3Server().start();
        TimedSlack slack = new TimedSlack();
        TimedNtfy ntfy = new TimedNtfy();
        String webhookSecret = Sandbox.random();

        Map<Path, FakeRepo> remotes = new LinkedHashMap<>();
        Map<FakeRepo, String> expected = new LinkedHashMap<>();
        for (int r = 1; r <= repos; r++) {
            String name = "proof/repo-%02d".formatted(r);
            Path origin = DemoRepository.bareRemote(dir, name);
            FakeRepo repo = github.repo(name).collaborator(DemoRepository.TRUSTED, "write");
            for (int i = 1; i <= issues; i++) {
                String directive = mixed ? MIXED[(r + i) % MIXED.length] : "completes";
                repo.createIssue("Change %d of %s".formatted(i, name), "Proof issue.\n\nsandbox-agent: " + directive);
                repo.label(i, READY, DemoRepository.TRUSTED);
            }
            remotes.put(origin, repo);
        }
        SandboxWebhooks webhooks = new SandboxWebhooks(service, webhookSecret);
        t3.defaultScript(new SandboxAgent(SandboxAgent.byRemote(remotes), new SandboxCi(), webhooks)::scriptFor);
        T3Gate gate = outages ? new T3Gate(URI.create(t3.baseUrl()).getPort()) : null;
        Faults faults = outages ? new Faults(github, githubToken, remotes.values().stream().toList(), slack, gate) : null;
        Report report = new Report(controlPort, remotes.values().stream().toList(), issues, t3, slack, ntfy, faults);

        Map<String, String> env = Sandbox.serviceEnv(dir, github, githubToken, webhookSecret, t3, slack, ntfy);
        if (gate != null) {
            env.put("AFK_EXECUTOR_T3_BASE_URL", gate.url());
        }
        env.put("AFK_DOORBELL_ISSUE_URL_TEMPLATE", report.url() + "/issues/{issue}");
        Sandbox.writeEnv(dir.resolve("proof.env"), env);

        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            report.stop();
            if (gate != null) {
                gate.close();
            }
            slack.stop();
            ntfy.stop();
            t3.close();
            github.close();
            stop.countDown();
        }));
        System.err.println("proof: GitHub " + github.apiUrl() + ", T3 " + t3.baseUrl() + ", report " + report.url() + "/report");
        String adminToken = Files.readString(dir.resolve("admin-token")).trim();
        for (Map.Entry<Path, FakeRepo> remote : remotes.entrySet()) {
            Sandbox.enroll(service, adminToken, remote.getValue().fullName(), remote.getKey().toUri().toString());
        }
        arm(service, adminToken);
        Files.writeString(dir.resolve("ready"), "enrolled and armed\n");
        Thread operator = new Thread(() -> answerQuestions(service, adminToken), "proof-operator");
        operator.setDaemon(true);
        operator.start();
        stop.await();
    }

    /** A fresh install starts with the kill switch engaged: an operator arms it once the repositories are in. */
    static void arm(URI service, String adminToken) throws IOException, InterruptedException {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(service.resolve("/api/afk/kill-switch"))
                .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"engaged\": false, \"reason\": \"proof run\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        System.err.println("proof: kill switch released: HTTP " + answer.statusCode());
    }

    /** The operator: answers every run that waits on a question, whenever a service answers. */
    private static void answerQuestions(URI service, String adminToken) {
        ObjectMapper json = new ObjectMapper();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(1000);
                HttpResponse<String> waiting = http.send(HttpRequest.newBuilder(service.resolve("/api/afk/runs?state=NEEDS_INPUT&limit=500"))
                        .header("Authorization", "Bearer " + adminToken).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (waiting.statusCode() != 200) {
                    continue;
                }
                for (JsonNode run : json.readTree(waiting.body())) {
                    http.send(HttpRequest.newBuilder(service.resolve("/api/afk/runs/" + run.path("id").asText() + "/answer"))
                            .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
                            .timeout(Duration.ofSeconds(10))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"answer\": \"Hello\"}")).build(),
                            HttpResponse.BodyHandlers.discarding());
                }
            } catch (IOException serviceDown) {
                // Killed by the harness, or restarting: ask again in a second.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A message a receiver accepted, and when (epoch milliseconds). */
    record Received(long at, String text) {}

    /** A request a simulator answered, when (epoch milliseconds), and the {@code Retry-After} it was told (seconds, -1 none). */
    record Attempt(long at, int status, long retryAfter) {}

    /** Slack, remembering when each message arrived: a duplicate is only fine across a kill. */
    static final class TimedSlack extends FakeSlack {
        final List<Received> received = new CopyOnWriteArrayList<>();
        final List<Attempt> attempts = new CopyOnWriteArrayList<>();

        @Override
        protected Response handle(Request request) {
            Response response = super.handle(request);
            String retryAfter = response.headers().get("Retry-After");
            attempts.add(new Attempt(System.currentTimeMillis(), response.status(), retryAfter == null ? -1 : Long.parseLong(retryAfter)));
            if (response.status() == 200) {
                received.add(new Received(System.currentTimeMillis(), textOf(request.body(), "text")));
            }
            return response;
        }
    }

    static final class TimedNtfy extends FakeNtfy {
        final List<Received> received = new CopyOnWriteArrayList<>();

        @Override
        protected Response handle(Request request) {
            Response response = super.handle(request);
            if (response.status() == 200) {
                received.add(new Received(System.currentTimeMillis(), textOf(request.body(), "title") + ": " + textOf(request.body(), "message")));
            }
            return response;
        }
    }

    private static String textOf(String body, String field) {
        try {
            return new ObjectMapper().readTree(body).path(field).asText();
        } catch (IOException e) {
            return "";
        }
    }

    /** {@code GET /report}: threads and turns the executor ran, issues as GitHub shows them, the doorbell's messages. */
    static final class Report extends LoopbackHttpFake {
        private final ObjectMapper json = new ObjectMapper();
        private final List<FakeRepo> repos;
        private final int issues;
        private final FakeT3Server t3;
        private final TimedSlack slack;
        private final TimedNtfy ntfy;
        private final Faults faults;

        Report(int port, List<FakeRepo> repos, int issues, FakeT3Server t3, TimedSlack slack, TimedNtfy ntfy, Faults faults) {
            super(port);
            this.faults = faults;
            this.repos = repos;
            this.issues = issues;
            this.t3 = t3;
            this.slack = slack;
            this.ntfy = ntfy;
        }

        @Override
        protected Response handle(Request request) {
            if (faults != null && request.method().equals("POST") && request.path().startsWith("/fault/")) {
                return faults.inject(request.path().substring("/fault/".length()), query(request));
            }
            if (!request.method().equals("GET") || !request.path().equals("/report")) {
                return Response.json(404, "{\"detail\": \"only GET /report\"}");
            }
            ObjectNode report = json.createObjectNode();
            report.set("threads", threads());
            ArrayNode seeded = report.putArray("issues");
            for (FakeRepo repo : repos) {
                for (int n = 1; n <= issues; n++) {
                    FakeRepo.Issue issue = repo.issue(n);
                    ObjectNode node = seeded.addObject().put("repo", repo.fullName()).put("number", n)
                            .put("state", issue.state).put("body", issue.body)
                            .put("checklists", repo.comments(n).stream().filter(c -> c.body().contains("<!-- afk-run:")).count());
                    node.set("labels", json.valueToTree(repo.labels(n)));
                }
            }
            report.set("slack", json.valueToTree(slack.received));
            report.set("ntfy", json.valueToTree(ntfy.received));
            if (faults != null) {
                report.set("faults", faults.judge(json));
            }
            return Response.json(200, report.toString());
        }

        /**
         * Every thread the executor created, with the turns started on it and the runs their
         * prompts name. A command counts once however often it was retried: T3 runs it once.
         */
        private ArrayNode threads() {
            Map<String, ObjectNode> byId = new LinkedHashMap<>();
            Set<String> seen = new HashSet<>();
            for (JsonNode command : t3.dispatched()) {
                String commandId = command.path("commandId").asText();
                if (t3.executed(commandId) == 0 || !seen.add(commandId)) {
                    continue;
                }
                String threadId = command.path("threadId").asText();
                switch (command.path("type").asText()) {
                    case "thread.create" -> {
                        ObjectNode thread = json.createObjectNode().put("id", threadId).put("turns", 0);
                        thread.putArray("runs");
                        byId.put(threadId, thread);
                    }
                    case "thread.turn.start" -> {
                        ObjectNode thread = byId.get(threadId);
                        if (thread != null) {
                            thread.put("turns", thread.path("turns").asInt() + 1);
                            Matcher run = RUN.matcher(command.path("message").path("text").asText());
                            if (run.find()) {
                                ((ArrayNode) thread.get("runs")).add(run.group(1));
                            }
                        }
                    }
                    default -> {}
                }
            }
            ArrayNode threads = json.createArrayNode();
            byId.values().forEach(threads::add);
            return threads;
        }
    }
}
