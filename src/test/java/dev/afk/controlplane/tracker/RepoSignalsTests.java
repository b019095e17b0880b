package dev.afk.controlplane.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.afk.controlplane.common.RepoSlug;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RepoSignalsTests {

    @Inject
    RepoSignals signals;

    @Test
    void signalsCollapsePerRepoAndDrainOnce() {
        RepoSlug a = RepoSlug.parse("acme/signals-a");
        RepoSlug b = RepoSlug.parse("acme/signals-b");
        signals.drain().await().atMost(Duration.ofSeconds(5));

        signals.signal(a, "issues.labeled").await().atMost(Duration.ofSeconds(5));
        signals.signal(a, "push").await().atMost(Duration.ofSeconds(5));
        signals.signal(b, "check_run").await().atMost(Duration.ofSeconds(5));

        assertThat(signals.drain().await().atMost(Duration.ofSeconds(5))).containsExactlyInAnyOrder(a, b);
        assertThat(signals.drain().await().atMost(Duration.ofSeconds(5))).isEmpty();
    }
}
