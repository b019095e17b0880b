package dev.afk.controlplane.sandbox;

import dev.afk.controlplane.fakes.github.FakeRepo;
import dev.afk.controlplane.fakes.github.WebhookPayloads;
import dev.afk.controlplane.fakes.t3.AgentScript;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simulated T3's coding agent. An issue's body chooses what it does with a line
 * {@code sandbox-agent: completes | reds | pends | asks <question> | fails | hangs}; without one it completes.
 * {@code reds} completes with a commit that the sandbox's CI fails, whatever its rule; {@code pends} with a
 * commit whose checks never finish (the run waits on CI).
 * Completing means a real commit in the run's worktree, with the run's {@code Refs} and
 * {@code AFK-Run} trailers, pushed to the repository's bare remote, seen by the simulated GitHub,
 * and judged by the sandbox's CI. Corrective (fix-forward) turns carry no issue body, so they complete.
 */
final class SandboxAgent {

    private static final Pattern DIRECTIVE = Pattern.compile("sandbox-agent:[ \\t]*(completes|reds|pends|asks|fails|hangs)[ \\t]*([^\\n]*)");
    private static final Pattern RUN = Pattern.compile("AFK-Run: (\\S+)");
    private static final Pattern ISSUE = Pattern.compile("Refs #(\\d+)");

    private final Function<String, FakeRepo> repoByRemote;
    private final SandboxCi ci;
    private final SandboxWebhooks webhooks;

    SandboxAgent(Function<String, FakeRepo> repoByRemote, SandboxCi ci, SandboxWebhooks webhooks) {
        this.repoByRemote = repoByRemote;
        this.ci = ci;
        this.webhooks = webhooks;
    }

    /** What CI makes of the agent's commit. */
    private enum Checks { BY_RULE, RED, PENDING }

    /** What the agent does on a turn with this prompt. */
    AgentScript scriptFor(String prompt) {
        Matcher directive = DIRECTIVE.matcher(prompt == null ? "" : prompt);
        if (!directive.find()) {
            return AgentScript.complete().doing(turn -> push(turn, Checks.BY_RULE));
        }
        return switch (directive.group(1)) {
            case "asks" -> ask(directive.group(2));
            case "fails" -> AgentScript.error("The agent gave up: the build needs a tool this machine does not have.");
            case "hangs" -> AgentScript.neverFinish();
            case "reds" -> AgentScript.complete().doing(turn -> push(turn, Checks.RED));
            case "pends" -> AgentScript.complete().doing(turn -> push(turn, Checks.PENDING));
            default -> AgentScript.complete().doing(turn -> push(turn, Checks.BY_RULE));
        };
    }

    /** {@code Question? | option | option}. */
    private AgentScript ask(String text) {
        String[] parts = text.split("\\|");
        String question = parts[0].isBlank() ? "How should I go on?" : parts[0].trim();
        String[] options = Arrays.stream(parts).skip(1).map(String::trim).filter(o -> !o.isEmpty()).toArray(String[]::new);
        return AgentScript.askQuestion(question, options.length == 0 ? new String[] {"Go ahead"} : options).doing(turn -> push(turn, Checks.BY_RULE));
    }

    /** An agent whose push fails says so and stops, as a real one would: the run escalates, nothing breaks. */
    private void push(AgentScript.TurnContext turn, Checks checks) {
        try {
            commitAndPush(turn, checks);
        } catch (RuntimeException e) {
            System.err.println("sandbox: the agent could not push: " + e.getMessage());
        }
    }

    /** Commits a change in the worktree with the run's trailers and pushes it to the default branch. */
    private void commitAndPush(AgentScript.TurnContext turn, Checks checks) {
        Matcher run = RUN.matcher(turn.prompt());
        Matcher issue = ISSUE.matcher(turn.prompt());
        if (turn.worktreePath() == null || !run.find() || !issue.find()) {
            System.err.println("sandbox: the agent found no worktree or no AFK-Run trailer in its prompt; nothing pushed");
            return;
        }
        Path worktree = Path.of(turn.worktreePath());
        FakeRepo repo = repoByRemote.apply(Git.run(worktree, "remote", "get-url", "origin"));
        String message = "Work on #" + issue.group(1) + " (turn " + turn.turnNumber() + ")\n\nRefs #" + issue.group(1)
                + "\nAFK-Run: " + run.group(1);
        try {
            Files.writeString(worktree.resolve("CHANGES.md"), "- " + message.lines().findFirst().orElseThrow() + "\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Git.run(worktree, "add", "CHANGES.md");
        Git.run(worktree, "commit", "--quiet", "-m", message);
        Git.run(worktree, "push", "--quiet", "origin", "HEAD:" + repo.defaultBranch);
        String sha = Git.run(worktree, "rev-parse", "HEAD");
        repo.pushed(sha, repo.defaultBranch, message);
        webhooks.deliver(WebhookPayloads.push(repo.fullName(), sha));
        if (checks == Checks.PENDING) {
            repo.checkRun(sha, "build", "in_progress", null);
            System.err.println("sandbox: the agent pushed " + sha.substring(0, 8) + " to " + repo.fullName() + "; CI is running");
            return;
        }
        String conclusion = checks == Checks.RED ? ci.fail(repo, sha) : ci.judge(repo, sha);
        webhooks.deliver(WebhookPayloads.checkRunCompleted(repo.fullName()));
        System.err.println("sandbox: the agent pushed " + sha.substring(0, 8) + " to " + repo.fullName() + "; CI says " + conclusion);
    }

    /** Maps a worktree's remote URL ({@code file:///…/name.git/}) to its simulated repository, by the remote's path. */
    static Function<String, FakeRepo> byRemote(Map<Path, FakeRepo> repos) {
        return url -> {
            Path remote = Path.of(URI.create(url));
            return repos.entrySet().stream().filter(e -> e.getKey().equals(remote)).map(Map.Entry::getValue).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no sandbox repository has the remote " + url));
        };
    }
}
