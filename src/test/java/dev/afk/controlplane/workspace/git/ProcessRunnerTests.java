package dev.afk.controlplane.workspace.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessRunnerTests {

    private final ProcessRunner runner = new ProcessRunner();

    @TempDir
    Path directory;

    @Test
    void capturesExitCodeAndBothStreamsWithTheGivenEnvironment() {
        ProcessRunner.Outcome outcome = runner.run(List.of("sh", "-c", "echo \"out $GREETING\"; echo err >&2; exit 3"),
                directory, Map.of("GREETING", "hello"), Duration.ofSeconds(30));

        assertThat(outcome.exitCode()).isEqualTo(3);
        assertThat(outcome.stdout()).isEqualTo("out hello\n");
        assertThat(outcome.stderr()).isEqualTo("err\n");
        assertThat(outcome.timedOut()).isFalse();
        assertThat(outcome.succeeded()).isFalse();
    }

    @Test
    void argumentsAreNeverInterpretedByAShell() {
        ProcessRunner.Outcome outcome = runner.run(List.of("echo", "$(id)", "; rm -rf /", "`whoami`"),
                directory, Map.of(), Duration.ofSeconds(30));

        assertThat(outcome.stdout()).isEqualTo("$(id) ; rm -rf / `whoami`\n");
    }

    @Test
    void aCommandPastItsTimeoutIsKilledWithItsChildren() {
        ProcessRunner.Outcome outcome = runner.run(List.of("sh", "-c", "sleep 120 & sleep 120"),
                directory, Map.of(), Duration.ofMillis(300));

        assertThat(outcome.timedOut()).isTrue();
        assertThat(outcome.succeeded()).isFalse();
        await().atMost(Duration.ofSeconds(30)).until(() -> ProcessHandle.current().descendants()
                .noneMatch(process -> process.info().commandLine().orElse("").contains("sleep 120")));
    }

    @Test
    void capturedOutputIsBounded() {
        ProcessRunner.Outcome outcome = runner.run(List.of("head", "-c", "1000000", "/dev/zero"),
                directory, Map.of(), Duration.ofSeconds(30));

        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.stdout()).hasSize(ProcessRunner.MAX_CAPTURED_BYTES);
    }
}
