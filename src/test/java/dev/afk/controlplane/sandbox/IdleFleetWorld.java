package dev.afk.controlplane.sandbox;

import dev.afk.controlplane.fakes.github.FakeGitHub;
import dev.afk.controlplane.fakes.github.FakeRepo;
import dev.afk.controlplane.fakes.ntfy.FakeNtfy;
import dev.afk.controlplane.fakes.slack.FakeSlack;
import dev.afk.controlplane.fakes.t3.FakeT3Server;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The world of the idle-fleet bench (bench/idle-fleet): simulators of GitHub, T3, CI, Slack and
 * ntfy in a process of their own, {@code repos} enrolled repositories, and one ready issue in each of
 * the first {@code runs} of them whose run never ends: every other agent works on and on, the rest
 * push a commit whose checks never finish. So the service holds {@code runs} runs open, half
 * {@code WORKING}, half {@code AWAITING_CI}, and nothing else happens.
 *
 * <p>Usage: {@code IdleFleetWorld <state dir> <service URL> <repos> <runs>}; the state dir
 * holds {@code admin-token} and receives {@code world.env}, then {@code ready} once the repositories
 * are enrolled and the kill switch released.
 */
public final class IdleFleetWorld {

    private IdleFleetWorld() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: IdleFleetWorld <state dir> <service URL> <repos> <runs>");
            System.exit(2);
        }
        Path dir = Path.of(args[0]).toAbsolutePath().normalize();
        URI service = URI.create(args[1]);
        int repos = Integer.parseInt(args[2]);
        int runs = Integer.parseInt(args[3]);

        FakeGitHub github = FakeGitHub.start().rateLimit(1_000_000);
        String githubToken = "fleet_" + Sandbox.random();
        github.acceptToken(githubToken);
        FakeT3Server t3 = new FakeT3Server().start();
        FakeSlack slack = new FakeSlack();
        FakeNtfy ntfy = new FakeNtfy();
        String webhookSecret = Sandbox.random();

        Map<Path, FakeRepo> remotes = new LinkedHashMap<>();
        for (int r = 1; r <= repos; r++) {
            String name = "fleet/repo-%03d".formatted(r);
            Path origin = DemoRepository.bareRemote(dir, name);
            FakeRepo repo = github.repo(name).collaborator(DemoRepository.TRUSTED, "write");
            if (r <= runs) {
                String directive = r % 2 == 0 ? "pends" : "hangs";
                int issue = repo.createIssue("Long change of " + name, "Idle-fleet issue.\n\nsandbox-agent: " + directive);
                repo.label(issue, ProofWorld.READY, DemoRepository.TRUSTED);
            }
            remotes.put(origin, repo);
        }
        SandboxWebhooks webhooks = new SandboxWebhooks(service, webhookSecret);
        t3.defaultScript(new SandboxAgent(SandboxAgent.byRemote(remotes), new SandboxCi(), webhooks)::scriptFor);

        Map<String, String> env = Sandbox.serviceEnv(dir, github, githubToken, webhookSecret, t3, slack, ntfy);
        Sandbox.writeEnv(dir.resolve("world.env"), env);

        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            slack.stop();
            ntfy.stop();
            t3.close();
            github.close();
            stop.countDown();
        }));
        System.err.println("idle-fleet: GitHub " + github.apiUrl() + ", T3 " + t3.baseUrl());
        String adminToken = Files.readString(dir.resolve("admin-token")).trim();
        for (Map.Entry<Path, FakeRepo> remote : remotes.entrySet()) {
            Sandbox.enroll(service, adminToken, remote.getValue().fullName(), remote.getKey().toUri().toString());
        }
        ProofWorld.arm(service, adminToken);
        Files.writeString(dir.resolve("ready"), "enrolled and armed\n");
        stop.await();
    }
}
