package dev.afk.controlplane.github;

import static org.assertj.core.api.Assertions.assertThatCode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** On a Vert.x context, waits run on Vert.x timers, which refuse delays under a millisecond. */
@QuarkusTest
class GitHubHttpDelayTests {

    @Test
    void aWaitShorterThanAMillisecondStillWaits() {
        assertThatCode(() -> VertxContextSupport.subscribeAndAwait(() -> GitHubHttp.delay(Duration.ofNanos(300_000))))
                .doesNotThrowAnyException();
    }
}
