package dev.afk.controlplane.agents.container.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.afk.controlplane.agents.container.EngineUnavailableException;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.junit.jupiter.api.Test;

/** The engine's breaker, configured as {@link DockerEngine} configures it. */
@QuarkusTest
class EngineBreakerTests {

    private static final Duration OPEN_FOR = Duration.ofMillis(300);

    private final AtomicInteger calls = new AtomicInteger();

    private Uni<String> call(TypedGuard<Uni<String>> breaker, boolean fails) {
        return breaker.get(() -> {
            calls.incrementAndGet();
            return fails ? Uni.createFrom().failure(new EngineUnavailableException("down"))
                    : Uni.createFrom().item("up");
        });
    }

    private String await(Uni<String> uni) {
        return uni.await().atMost(Duration.ofSeconds(5));
    }

    @Test
    void opensAfterConsecutiveFailuresAndLetsOneTrialCallThroughLater() throws InterruptedException {
        TypedGuard<Uni<String>> breaker = DockerEngine.breaker(2, OPEN_FOR);
        assertThatThrownBy(() -> await(call(breaker, true))).isInstanceOf(EngineUnavailableException.class);
        assertThat(await(call(breaker, false))).as("one failure does not open it").isEqualTo("up");
        assertThatThrownBy(() -> await(call(breaker, true))).isInstanceOf(EngineUnavailableException.class);
        assertThat(await(call(breaker, false))).as("a success in between: not consecutive").isEqualTo("up");
        assertThatThrownBy(() -> await(call(breaker, true))).isInstanceOf(EngineUnavailableException.class);
        assertThatThrownBy(() -> await(call(breaker, true))).isInstanceOf(EngineUnavailableException.class);

        int before = calls.get();
        assertThatThrownBy(() -> await(call(breaker, false))).isInstanceOf(CircuitBreakerOpenException.class);
        assertThat(calls.get()).as("an open breaker does not ask the engine").isEqualTo(before);

        Thread.sleep(OPEN_FOR.plusMillis(100).toMillis());
        assertThatThrownBy(() -> await(call(breaker, true))).as("the trial call goes through and fails")
                .isInstanceOf(EngineUnavailableException.class);
        assertThatThrownBy(() -> await(call(breaker, false))).as("a failed trial call reopens it")
                .isInstanceOf(CircuitBreakerOpenException.class);

        Thread.sleep(OPEN_FOR.plusMillis(100).toMillis());
        assertThat(await(call(breaker, false))).isEqualTo("up");
        assertThatThrownBy(() -> await(call(breaker, true))).isInstanceOf(EngineUnavailableException.class);
        assertThat(await(call(breaker, false))).as("a successful trial call closes it").isEqualTo("up");
    }
}
