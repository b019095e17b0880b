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
import java.util.regex.Pattern;

/**
 * The git command line, hardened for a volume the agent can also write to: no prompts, no
 * credential helpers but ours, no hooks, no fsmonitor, any owner accepted. The token is never an
 * argument, an environment value or part of a URL: git asks {@code GIT_ASKPASS}, a fixed script
 * that prints the token file. Everything git says is redacted before it leaves this class.
 */
final class GitCli {

    private static final Pattern URL_CREDENTIALS = Pattern.compile("(?<=://)[^/@\\s]+@");
    private static final String ASKPASS_SCRIPT = """
            #!/bin/sh
            # git asks for a user name, then for a password: the token file answers the password.
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
    private final Optional<Path> tokenFile;
    private final Map<String, String> environment;

    GitCli(String executable, ProcessRunner runner, Optional<Path> tokenFile, String tokenUsername) {
        this.executable = executable;
        this.runner = runner;
        this.tokenFile = tokenFile;
        Map<String, String> env = new HashMap<>();
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.put("LC_ALL", "C");
        tokenFile.ifPresent(file -> {
            env.put("GIT_ASKPASS", writeAskpass().toString());
            env.put("AFK_GIT_TOKEN_FILE", file.toAbsolutePath().toString());
            env.put("AFK_GIT_USERNAME", tokenUsername);
        });
        this.environment = Map.copyOf(env);
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
        ProcessRunner.Outcome raw = runner.run(command, directory, environment, timeout);
        return new ProcessRunner.Outcome(raw.exitCode(), redact(raw.stdout()), redact(raw.stderr()), raw.timedOut());
    }

    /** Removes the token and any credentials embedded in URLs from text git produced. */
    String redact(String text) {
        String redacted = URL_CREDENTIALS.matcher(text).replaceAll("***@");
        String token = currentToken();
        return token.isEmpty() ? redacted : redacted.replace(token, "***");
    }

    private String currentToken() {
        try {
            return tokenFile.isPresent() && Files.isReadable(tokenFile.get()) ? Files.readString(tokenFile.get()).strip() : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static String lastLines(String stderr) {
        List<String> lines = stderr.strip().lines().toList();
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - STDERR_LINES_KEPT), lines.size()));
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
