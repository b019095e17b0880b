package dev.afk.controlplane.workspace.git;

import dev.afk.controlplane.workspace.WorkspaceUnavailable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The git command line, hardened for a volume the agent can also write to: no prompts, no
 * credential helpers but ours, no hooks, no fsmonitor, any owner accepted. The token is never an
 * argument, an environment value or part of a URL: it is fetched before each command (so a
 * short-lived App installation token is always fresh), kept in a file only this process can read
 * (0600, in a private 0700 temporary directory, not on the volume the executor shares), and git asks
 * {@code GIT_ASKPASS}, a fixed script beside it that prints that file. Everything git says is
 * redacted before it leaves this class.
 */
final class GitCli {

    private static final Pattern URL_CREDENTIALS = Pattern.compile("(?<=://)[^/@\\s]+@");
    private static final String ASKPASS_SCRIPT = """
            #!/bin/sh
            # git asks for a user name, then for a password: the token answers the password.
            case "$1" in
              Username*) printf '%s\\n' "$AFK_GIT_USERNAME" ;;
              *) cat -- "$AFK_GIT_TOKEN_FILE" ;;
            esac
            """;
    private static final List<String> HARDENING = List.of(
            "-c", "credential.helper=",
            "-c", "core.hooksPath=/dev/null",
            "-c", "core.fsmonitor=false",
            "-c", "safe.directory=*",
            "-c", "protocol.ext.allow=never");
    private static final int STDERR_LINES_KEPT = 5;

    private final String executable;
    private final ProcessRunner runner;
    private final Supplier<Optional<String>> token;
    private final String tokenUsername;
    private final Path askpass;
    private final Path tokenCopy;
    private String written;

    /** {@code token}: asked before every command, off the event loop; empty means anonymous access. */
    GitCli(String executable, ProcessRunner runner, Supplier<Optional<String>> token, String tokenUsername) {
        this.executable = executable;
        this.runner = runner;
        this.token = token;
        this.tokenUsername = tokenUsername;
        this.askpass = writeAskpass();
        this.tokenCopy = askpass.resolveSibling("token");
    }

    /** A token read from a file (a mounted Secret), re-read for every command so rotation needs no restart. */
    static Supplier<Optional<String>> fromFile(Path file) {
        return () -> {
            try {
                return Files.isReadable(file) ? Optional.of(Files.readString(file).strip()).filter(t -> !t.isEmpty()) : Optional.empty();
            } catch (IOException e) {
                return Optional.empty();
            }
        };
    }

    /** Runs git and returns its standard output; any failure or timeout is a {@link WorkspaceUnavailable}. */
    String run(Path directory, Duration timeout, String... arguments) {
        ProcessRunner.Outcome outcome = attempt(directory, timeout, arguments);
        if (outcome.timedOut()) {
            throw new WorkspaceUnavailable("git " + arguments[0] + " in " + directory.getFileName()
                    + " was killed after " + timeout + ": " + lastLines(outcome.stderr()));
        }
        if (outcome.exitCode() != 0) {
            throw new WorkspaceUnavailable("git " + arguments[0] + " in " + directory.getFileName()
                    + " failed (exit " + outcome.exitCode() + "): " + lastLines(outcome.stderr()));
        }
        return outcome.stdout();
    }

    /** Runs git for callers that accept failure; the outcome's output is already redacted. */
    ProcessRunner.Outcome attempt(Path directory, Duration timeout, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(executable);
        command.addAll(HARDENING);
        command.addAll(List.of(arguments));
        Optional<String> secret = currentToken();
        Map<String, String> environment = new HashMap<>();
        environment.put("GIT_TERMINAL_PROMPT", "0");
        environment.put("LC_ALL", "C");
        secret.ifPresent(value -> {
            keep(value);
            environment.put("GIT_ASKPASS", askpass.toString());
            environment.put("AFK_GIT_TOKEN_FILE", tokenCopy.toString());
            environment.put("AFK_GIT_USERNAME", tokenUsername);
        });
        ProcessRunner.Outcome raw = runner.run(command, directory, environment, timeout);
        return new ProcessRunner.Outcome(raw.exitCode(), redact(raw.stdout(), secret), redact(raw.stderr(), secret), raw.timedOut());
    }

    /** Removes the token and any credentials embedded in URLs from text git produced. */
    String redact(String text) {
        return redact(text, currentToken());
    }

    private static String redact(String text, Optional<String> secret) {
        String redacted = URL_CREDENTIALS.matcher(text).replaceAll("***@");
        return secret.map(value -> redacted.replace(value, "***")).orElse(redacted);
    }

    private Optional<String> currentToken() {
        try {
            return token.get();
        } catch (RuntimeException e) {
            throw new WorkspaceUnavailable("no token for git: " + e.getMessage());
        }
    }

    private static String lastLines(String stderr) {
        List<String> lines = stderr.strip().lines().toList();
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - STDERR_LINES_KEPT), lines.size()));
    }

    /** Replaces the private token file when the token changed; readers see the old or the new one, whole. */
    private synchronized void keep(String token) {
        if (token.equals(written)) {
            return;
        }
        try {
            Path next = Files.createTempFile(tokenCopy.getParent(), "token", ".next",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(next, token);
            Files.move(next, tokenCopy, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            tokenCopy.toFile().deleteOnExit();
            written = token;
        } catch (IOException e) {
            throw new WorkspaceUnavailable("cannot keep the git token in the private directory");
        }
    }

    /** The script lives in a private temporary directory, not on the volume the executor shares. */
    private static Path writeAskpass() {
        try {
            Path directory = Files.createTempDirectory("afk-git-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path script = directory.resolve("askpass");
            Files.writeString(script, ASKPASS_SCRIPT);
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
            script.toFile().deleteOnExit();
            directory.toFile().deleteOnExit();
            return script;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the git askpass script", e);
        }
    }
}
