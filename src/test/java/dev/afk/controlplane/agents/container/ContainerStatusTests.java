package dev.afk.controlplane.agents.container;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContainerStatusTests {

    @ParameterizedTest
    @CsvSource({"exited,stopped", "dead,stopped", "created,stopped", "restarting,stopped", "running,running",
        "paused,paused", "removing,removing", "Exited,stopped"})
    void mapsEngineStatesAsTrinityDoes(String state, String status) {
        assertThat(ContainerStatus.of(state)).isEqualTo(status);
    }
}
