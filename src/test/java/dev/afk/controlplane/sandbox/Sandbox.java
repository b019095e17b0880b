package dev.afk.controlplane.sandbox;

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
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The sandbox: simulators of GitHub, T3 Code, CI, Slack and ntfy on loopback, a seeded demo
 * repository, and a control surface for acting as its users. It lives on the test classpath only,
 * so none of it is in the production jar or the native image; {@code scripts/run} starts it as a
 * process of its own and starts the service with the environment it writes, which holds the same
 * configuration keys production sets. Once the service answers, it enrolls the demo repository.
 *
 * <p>Usage: {@code Sandbox <state dir> <control port> <service URL>}; the state dir holds
 * {@code admin-token} (for the enrollment) and receives {@code sandbox.env}, the secrets and the git remote.
 */
public final class Sandbox {

    private Sandbox() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: Sandbox <state dir> <control port> <service URL>");
            System.exit(2);
        }
        Path dir = Path.of(args[0]).toAbsolutePath().normalize();
        int controlPort = Integer.parseInt(args[1]);
        URI service = URI.create(args[2]);

        FakeGitHub github = FakeGitHub.start().rateLimit(1_000_000);
        String githubToken = "sandbox_" + random();
        github.acceptToken(githubToken);
        FakeT3Server t3 = new FakeT3Server().start();
        FakeSlack slack = new FakeSlack();
        FakeNtfy ntfy = new FakeNtfy();
        String webhookSecret = random();

        Path origin = DemoRepository.seed(github, dir);
        FakeRepo demo = github.repo(DemoRepository.NAME);
        SandboxCi ci = new SandboxCi();
        SandboxWebhooks webhooks = new SandboxWebhooks(service, webhookSecret);
        Map<Path, FakeRepo> remotes = Map.of(origin, demo);
        SandboxAgent agent = new SandboxAgent(SandboxAgent.byRemote(remotes), ci, webhooks);
        t3.defaultScript(agent::scriptFor);
        SandboxControl control = new SandboxControl(controlPort, demo, 6, ci, webhooks, slack, ntfy);

        Map<String, String> env = serviceEnv(dir, github, githubToken, webhookSecret, t3, slack, ntfy);
        env.put("AFK_DOORBELL_ISSUE_URL_TEMPLATE", control.url() + "/issues/{issue}");
        env.put("AFK_SANDBOX_SERVICE_URL", service.toString());
        env.put("AFK_SANDBOX_CONTROL_URL", control.url().toString());
        env.put("AFK_SANDBOX_CLONE_URL", origin.toUri().toString());
        writeEnv(dir.resolve("sandbox.env"), env);

        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            control.stop();
            slack.stop();
            ntfy.stop();
            t3.close();
            github.close();
            stop.countDown();
        }));
        System.err.println("sandbox: GitHub " + github.apiUrl() + ", T3 " + t3.baseUrl() + ", control " + control.url());
        enroll(service, Files.readString(dir.resolve("admin-token")).trim(), DemoRepository.NAME, origin.toUri().toString());
        stop.await();
    }

    /**
     * The service's environment for simulators on loopback: the same keys production sets, in their
     * environment-variable form (docs/configuration.md); the secrets are written under {@code dir}.
     */
    static Map<String, String> serviceEnv(Path dir, FakeGitHub github, String githubToken, String webhookSecret,
            FakeT3Server t3, FakeSlack slack, FakeNtfy ntfy) throws IOException {
        Path secrets = Files.createDirectories(dir.resolve("secrets"));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AFK_GITHUB_API_URL", github.apiUrl());
        env.put("AFK_GITHUB_TOKEN_FILE", secret(secrets, "github-token", githubToken));
        env.put("AFK_GITHUB_WEBHOOK_SECRET_FILE", secret(secrets, "github-webhook-secret", webhookSecret));
        env.put("AFK_EXECUTOR_T3_BASE_URL", t3.baseUrl());
        env.put("AFK_EXECUTOR_T3_TOKEN_FILE", secret(secrets, "t3-token", t3.adminToken()));
        env.put("AFK_CI_STAGES", "github-actions");
        env.put("AFK_DOORBELL_SLACK_WEBHOOK_FILE", secret(secrets, "slack-webhook", slack.webhookUrl()));
        env.put("AFK_DOORBELL_NTFY_URL", ntfy.url().toString());
        env.put("AFK_DOORBELL_NTFY_TOPIC", "afk-sandbox");
        env.put("AFK_DOORBELL_NTFY_TOKEN_FILE", secret(secrets, "ntfy-token", FakeNtfy.TOKEN));
        env.put("AFK_WORKSPACES_ROOT", Files.createDirectories(dir.resolve("workspaces")).toString());
        // Watched by a person or a harness: look often, and give up on a silent agent within seconds.
        // The pace is the caller's when set (bench/run-latency measures at production pace too).
        env.put("AFK_PIPELINE_POLL_EVERY", System.getenv().getOrDefault("AFK_PIPELINE_POLL_EVERY", "2s"));
        env.put("AFK_PIPELINE_SIGNAL_EVERY", System.getenv().getOrDefault("AFK_PIPELINE_SIGNAL_EVERY", "1s"));
        env.put("AFK_PIPELINE_RECONCILE_EVERY", System.getenv().getOrDefault("AFK_PIPELINE_RECONCILE_EVERY", "1s"));
        env.put("AFK_PIPELINE_BUDGETS_PUSH_GRACE", "3s");
        env.put("AFK_PIPELINE_BUDGETS_MAX_FIX_FORWARD_ATTEMPTS", "2");
        env.put("AFK_GITHUB_REQUESTS_WRITE_SPACING", "50ms");
        env.put("AFK_DOORBELL_POLL_INTERVAL", "1s");
        env.put("AFK_PIPELINE_ALLOW_LOCAL_CLONE_URLS", "true");
        return env;
    }

    /** Enrolls a repository once the service answers (409: it already is). */
    static void enroll(URI service, String adminToken, String name, String cloneUrl) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String body = """
                {"repo": "%s", "defaultBranch": "main", "cloneUrl": "%s", "ciStages": ["GITHUB_ACTIONS"]}"""
                .formatted(name, cloneUrl);
        HttpRequest request = HttpRequest.newBuilder(service.resolve("/api/afk/repos"))
                .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        for (int attempt = 0; attempt < 900; attempt++) {
            try {
                HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 201 || answer.statusCode() == 409) {
                    System.err.println("sandbox: " + name + " is enrolled");
                } else {
                    System.err.println("sandbox: enrolling " + name + " failed: HTTP " + answer.statusCode()
                            + " " + answer.body());
                }
                return;
            } catch (IOException notUpYet) {
                Thread.sleep(1000);
            }
        }
        System.err.println("sandbox: the service at " + service + " never answered; " + name + " is not enrolled");
    }

    private static String secret(Path dir, String name, String value) throws IOException {
        return Files.writeString(dir.resolve(name), value + "\n").toString();
    }

    /** Written whole, then moved into place: whoever waits for the file never reads half of it. */
    static void writeEnv(Path file, Map<String, String> env) throws IOException {
        StringBuilder text = new StringBuilder();
        env.forEach((key, value) -> text.append(key).append("='").append(value.replace("'", "'\\''")).append("'\n"));
        Path partial = Files.writeString(file.resolveSibling(file.getFileName() + ".partial"), text.toString());
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static String random() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
