package dev.afk.controlplane.ci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.afk.controlplane.ci.CiVerdicts.Check;
import dev.afk.controlplane.ci.CiVerdicts.Outcome;
import dev.afk.controlplane.ci.CiVerdicts.Stage;
import dev.afk.controlplane.ci.CiVerdicts.Target;
import dev.afk.controlplane.ci.CiVerdicts.Verdict;
import dev.afk.controlplane.common.RepoSlug;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VerdictFoldTests {

    private static final Verdict GREEN_BUILD = Verdict.green("GitHub Actions: 3 checks passed");
    private static final Verdict GREEN_DEPLOY = Verdict.green("Woodpecker: pipeline #4 success");
    private static final Verdict RED = Verdict.red("Woodpecker: failed: deploy",
            List.of(new Check(Stage.WOODPECKER, "deploy", Outcome.RED, null, "failure")));
    private static final Verdict PENDING = Verdict.pending("GitHub Actions: pending: test",
            List.of(new Check(Stage.GITHUB_ACTIONS, "test", Outcome.PENDING, null, "in_progress")));
    private static final Verdict APPROVAL = new Verdict(Outcome.ACTION_REQUIRED,
            List.of(new Check(Stage.GITHUB_ACTIONS, "workflow CI", Outcome.ACTION_REQUIRED, null, "action_required")),
            "GitHub Actions: needs approval to run: workflow CI");

    @Test
    void allGreenIsGreenWithEveryStagesReason() {
        Verdict verdict = VerdictFold.fold(List.of(GREEN_BUILD, GREEN_DEPLOY));
        assertThat(verdict.outcome()).isEqualTo(Outcome.GREEN);
        assertThat(verdict.reason()).isEqualTo("GitHub Actions: 3 checks passed; Woodpecker: pipeline #4 success");
        assertThat(verdict.checks()).isEmpty();
    }

    @Test
    void noStagesIsVacuouslyGreen() {
        assertThat(VerdictFold.fold(List.of()).outcome()).isEqualTo(Outcome.GREEN);
    }

    @Test
    void theFirstStageThatIsNotGreenDecides() {
        assertThat(VerdictFold.fold(List.of(GREEN_BUILD, RED))).isEqualTo(RED);
        assertThat(VerdictFold.fold(List.of(PENDING, RED))).isEqualTo(PENDING);
        assertThat(VerdictFold.fold(List.of(RED, PENDING))).isEqualTo(RED);
        assertThat(VerdictFold.fold(List.of(GREEN_BUILD, APPROVAL, RED))).isEqualTo(APPROVAL);
        assertThat(VerdictFold.fold(List.of(GREEN_BUILD, GREEN_DEPLOY, PENDING))).isEqualTo(PENDING);
    }

    @Test
    void onlyGreenLetsTheFoldGoOn() {
        assertThat(VerdictFold.decides(GREEN_BUILD)).isFalse();
        assertThat(List.of(RED, PENDING, APPROVAL)).allMatch(VerdictFold::decides);
    }

    @Test
    void stagesAreAskedInOrderUntilOneDecides() {
        List<Stage> asked = new ArrayList<>();
        FoldedCiVerdicts verdicts = folded(asked, Map.of(Stage.GITHUB_ACTIONS, GREEN_BUILD, Stage.WOODPECKER, PENDING,
                Stage.ROLLOUT, RED));

        Verdict verdict = verdicts.verdict(target(List.of(Stage.GITHUB_ACTIONS, Stage.WOODPECKER, Stage.ROLLOUT)))
                .await().indefinitely();

        assertThat(verdict).isEqualTo(PENDING);
        assertThat(asked).containsExactly(Stage.GITHUB_ACTIONS, Stage.WOODPECKER);
    }

    @Test
    void theRepositorysOrderIsTheFoldsOrder() {
        List<Stage> asked = new ArrayList<>();
        FoldedCiVerdicts verdicts = folded(asked, Map.of(Stage.GITHUB_ACTIONS, PENDING, Stage.ROLLOUT, RED));

        assertThat(verdicts.verdict(target(List.of(Stage.ROLLOUT, Stage.GITHUB_ACTIONS))).await().indefinitely()).isEqualTo(RED);
        assertThat(asked).containsExactly(Stage.ROLLOUT);
    }

    @Test
    void aRepositoryWithoutStagesGetsTheInstallDefaults() {
        List<Stage> asked = new ArrayList<>();
        FoldedCiVerdicts verdicts = folded(asked, Map.of(Stage.GITHUB_ACTIONS, GREEN_BUILD, Stage.WOODPECKER, GREEN_DEPLOY));

        Verdict verdict = verdicts.verdict(target(List.of())).await().indefinitely();

        assertThat(verdict.outcome()).isEqualTo(Outcome.GREEN);
        assertThat(asked).containsExactly(Stage.GITHUB_ACTIONS, Stage.WOODPECKER);
    }

    @Test
    void aStageWithoutAdapterOrThatCannotLookFailsInsteadOfGuessing() {
        FoldedCiVerdicts verdicts = folded(new ArrayList<>(), Map.of(Stage.GITHUB_ACTIONS, GREEN_BUILD));
        assertThatThrownBy(() -> verdicts.verdict(target(List.of(Stage.GITHUB_ACTIONS, Stage.ROLLOUT))).await().indefinitely())
                .isInstanceOf(CiUnavailableException.class).hasMessageContaining("Kubernetes rollout");

        StageJudge down = judge(Stage.WOODPECKER, new ArrayList<>(), null);
        FoldedCiVerdicts withDown = new FoldedCiVerdicts(List.of(down), () -> List.of(Stage.WOODPECKER));
        assertThatThrownBy(() -> withDown.verdict(target(List.of())).await().indefinitely())
                .isInstanceOf(CiUnavailableException.class).hasMessageContaining("Woodpecker");
    }

    private static FoldedCiVerdicts folded(List<Stage> asked, Map<Stage, Verdict> verdicts) {
        List<StageJudge> judges = verdicts.entrySet().stream().map(e -> judge(e.getKey(), asked, e.getValue())).toList();
        return new FoldedCiVerdicts(judges, () -> List.of(Stage.GITHUB_ACTIONS, Stage.WOODPECKER));
    }

    private static StageJudge judge(Stage stage, List<Stage> asked, Verdict verdict) {
        return new StageJudge() {
            @Override
            public Stage stage() {
                return stage;
            }

            @Override
            public Uni<Verdict> judge(Target target) {
                asked.add(stage);
                return verdict == null ? Uni.createFrom().failure(new CiUnavailableException(stage, "down"))
                        : Uni.createFrom().item(verdict);
            }
        };
    }

    private static Target target(List<Stage> stages) {
        return new Target(RepoSlug.parse("acme/web"), "0123456789abcdef0123456789abcdef01234567", "main", stages,
                List.of(), List.of(), null);
    }
}
