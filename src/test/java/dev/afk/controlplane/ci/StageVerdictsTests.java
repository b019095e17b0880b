package dev.afk.controlplane.ci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.afk.controlplane.ci.CiVerdicts.Check;
import dev.afk.controlplane.ci.CiVerdicts.Outcome;
import dev.afk.controlplane.ci.CiVerdicts.Stage;
import dev.afk.controlplane.ci.CiVerdicts.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class StageVerdictsTests {

    private static Check check(String name, Outcome outcome) {
        return new Check(Stage.GITHUB_ACTIONS, name, outcome, null, outcome == Outcome.RED ? "failure" : null);
    }

    @Test
    void aFailureDecidesEvenWhileOthersRunOrWaitForApproval() {
        Verdict verdict = StageVerdicts.of(Stage.GITHUB_ACTIONS, List.of(check("build", Outcome.GREEN),
                check("test", Outcome.PENDING), check("e2e", Outcome.ACTION_REQUIRED), check("lint", Outcome.RED)), "ok");
        assertThat(verdict.outcome()).isEqualTo(Outcome.RED);
        assertThat(verdict.checks()).extracting(Check::name).containsExactly("lint");
        assertThat(verdict.reason()).isEqualTo("GitHub Actions: failed: lint (failure)");
    }

    @Test
    void aNeededApprovalBeatsWaiting() {
        Verdict verdict = StageVerdicts.of(Stage.GITHUB_ACTIONS, List.of(check("test", Outcome.PENDING),
                check("workflow CI", Outcome.ACTION_REQUIRED)), "ok");
        assertThat(verdict.outcome()).isEqualTo(Outcome.ACTION_REQUIRED);
        assertThat(verdict.checks()).extracting(Check::name).containsExactly("workflow CI");
    }

    @Test
    void pendingListsWhatIsStillPending() {
        Verdict verdict = StageVerdicts.of(Stage.WOODPECKER, List.of(check("a", Outcome.GREEN), check("b", Outcome.PENDING),
                check("c", Outcome.PENDING)), "ok");
        assertThat(verdict.outcome()).isEqualTo(Outcome.PENDING);
        assertThat(verdict.checks()).extracting(Check::name).containsExactly("b", "c");
        assertThat(verdict.reason()).isEqualTo("Woodpecker: pending: b, c");
    }

    @Test
    void greenOnlyWhenEveryCheckPassed() {
        Verdict verdict = StageVerdicts.of(Stage.ROLLOUT, List.of(check("a", Outcome.GREEN)), "1 deployment healthy");
        assertThat(verdict).isEqualTo(Verdict.green("Kubernetes rollout: 1 deployment healthy"));
    }

    @Test
    void aBrokenLinkIsDroppedNotFatal() {
        assertThat(StageVerdicts.link("https://ci.example.org/x")).hasToString("https://ci.example.org/x");
        assertThat(StageVerdicts.link("not a uri with spaces")).isNull();
        assertThat(StageVerdicts.link(null)).isNull();
    }
}
