package dev.afk.controlplane.sandbox;

import dev.afk.controlplane.fakes.github.FakeRepo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The sandbox's CI: every commit pushed gets one completed {@code build} check run on the simulated
 * GitHub, green or red by the rule the user set last ("the next N commits are red", or all green).
 */
final class SandboxCi {

    /** A verdict given: which commit, the check run's conclusion, and when (its webhook leaves right after). */
    record Verdict(String repo, String sha, String conclusion, Instant at) {}

    private int redLeft;
    private final List<Verdict> given = new ArrayList<>();

    /** The next {@code commits} commits are red (0: every commit is green). */
    synchronized void redFor(int commits) {
        redLeft = commits;
    }

    synchronized int redLeft() {
        return redLeft;
    }

    synchronized List<Verdict> given() {
        return List.copyOf(given);
    }

    /** Runs the checks of a freshly pushed commit; returns the conclusion. */
    synchronized String judge(FakeRepo repo, String sha) {
        String conclusion = redLeft > 0 ? "failure" : "success";
        if (redLeft > 0) {
            redLeft--;
        }
        return record(repo, sha, conclusion);
    }

    /** Fails a freshly pushed commit's checks, whatever the rule. */
    synchronized String fail(FakeRepo repo, String sha) {
        return record(repo, sha, "failure");
    }

    private String record(FakeRepo repo, String sha, String conclusion) {
        repo.checkRun(sha, "build", "completed", conclusion);
        given.add(new Verdict(repo.fullName(), sha, conclusion, Instant.now()));
        return conclusion;
    }
}
