package dev.afk.controlplane.workspace.git;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one program with an argument list (never a shell string), no stdin, captured output and a
 * hard timeout. Blocking: callers run it on a worker thread. Not final so tests can observe calls.
 */
class ProcessRunner {

    /** Enough for any git diagnostics we keep; the rest is dropped so a chatty command cannot fill the heap. */
    static final int MAX_CAPTURED_BYTES = 64 * 1024;

    private static final Duration DRAIN_AFTER_EXIT = Duration.ofSeconds(5);

    record Outcome(int exitCode, String stdout, String stderr, boolean timedOut) {

        boolean succeeded() {
            return !timedOut && exitCode == 0;
        }
    }

    /**
     * Runs {@code command} in {@code directory}. Inherited {@code GIT_*} variables are dropped so
     * the caller's environment (a hook, a CI job) cannot redirect git; {@code environment} is added.
     */
    Outcome run(List<String> command, Path directory, Map<String, String> environment, Duration timeout) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("GIT_"));
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command.getFirst(), e);
        }
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // stdin is closed so that nothing can wait on it; a failure here changes nothing.
        }
        Capture stdout = Capture.of(process.getInputStream());
        Capture stderr = Capture.of(process.getErrorStream());
        boolean exited = waitFor(process, timeout);
        if (!exited) {
            kill(process);
        }
        return new Outcome(exited ? process.exitValue() : -1, stdout.text(), stderr.text(), !exited);
    }

    private static boolean waitFor(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Children first: git's transport helpers hold the output pipes open after git itself dies. */
    private static void kill(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(DRAIN_AFTER_EXIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Drains one output stream on a virtual thread, keeping at most {@link #MAX_CAPTURED_BYTES}. */
    private static final class Capture {

        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final Thread reader;

        private Capture(InputStream stream) {
            reader = Thread.ofVirtual().start(() -> drain(stream));
        }

        static Capture of(InputStream stream) {
            return new Capture(stream);
        }

        private void drain(InputStream stream) {
            byte[] buffer = new byte[8192];
            try (stream) {
                for (int read; (read = stream.read(buffer)) >= 0; ) {
                    synchronized (kept) {
                        kept.write(buffer, 0, Math.min(read, Math.max(0, MAX_CAPTURED_BYTES - kept.size())));
                    }
                }
            } catch (IOException ignored) {
                // The process was killed; what was read so far is all there is.
            }
        }

        String text() {
            try {
                reader.join(DRAIN_AFTER_EXIT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (kept) {
                return kept.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
