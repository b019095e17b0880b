package dev.afk.controlplane.afk.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.afk.controlplane.afk.repos.Caps;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BudgetsTests {

    static final Budgets BUILT_IN = RunDecisionTests.BUDGETS;

    @Test
    void enrollmentCapsReplaceBuiltInValuesEitherWay() {
        Budgets b = BUILT_IN.overriddenBy(new Caps(8, null, 600, null, null, 10, 250.0, null));
        assertThat(b.maxFixForwardAttempts()).isEqualTo(8);
        assertThat(b.runWallClock()).isEqualTo(Duration.ofHours(10));
        assertThat(b.maxTurns()).isEqualTo(10);
        assertThat(b.maxCostUsd()).isEqualTo(250.0);
        assertThat(b.fixForwardWindow()).isEqualTo(BUILT_IN.fixForwardWindow());
    }

    @Test
    void aRepositorysOwnFileOnlyTightens() {
        Budgets b = BUILT_IN.tightenedBy(new Caps(9, 30, 1000, 60, 5, 500, 1000.0, 10));
        assertThat(b.maxFixForwardAttempts()).isEqualTo(5);
        assertThat(b.fixForwardWindow()).isEqualTo(Duration.ofMinutes(30));
        assertThat(b.runWallClock()).isEqualTo(BUILT_IN.runWallClock());
        assertThat(b.attemptWallClock()).isEqualTo(Duration.ofMinutes(60));
        assertThat(b.stallAfter()).isEqualTo(Duration.ofMinutes(5));
        assertThat(b.maxTurns()).isEqualTo(BUILT_IN.maxTurns());
        assertThat(b.maxCostUsd()).isEqualTo(BUILT_IN.maxCostUsd());
        assertThat(b.ciPendingLimit()).isEqualTo(Duration.ofMinutes(10));
        assertThat(BUILT_IN.tightenedBy(Caps.NONE)).isEqualTo(BUILT_IN);
    }
}
