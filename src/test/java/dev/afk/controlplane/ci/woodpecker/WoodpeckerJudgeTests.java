package dev.afk.controlplane.ci.woodpecker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.afk.controlplane.ci.CiUnavailableException;
import dev.afk.controlplane.ci.CiVerdicts.Check;
import dev.afk.controlplane.ci.CiVerdicts.Outcome;
import dev.afk.controlplane.ci.CiVerdicts.Stage;
import dev.afk.controlplane.ci.CiVerdicts.Target;
import dev.afk.controlplane.ci.CiVerdicts.Verdict;
import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.fakes.CiDoorbellFakes;
import dev.afk.controlplane.fakes.LoopbackHttpFake;
import dev.afk.controlplane.fakes.woodpecker.FakeWoodpecker;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class WoodpeckerJudgeTests {

    @Inject
    WoodpeckerJudge judge;

    private final FakeWoodpecker woodpecker = CiDoorbellFakes.woodpecker();

    private static String newSha() {
        return UUID.randomUUID().toString().replace("-", "") + "00000000";
    }

    private static String newRepo() {
        return "acme/wp-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private Verdict verdict(String repo, String sha, String branch) {
        return judge.judge(new Target(RepoSlug.parse(repo), sha, branch, List.of(Stage.WOODPECKER), List.of(), List.of(), null))
                .await().atMost(Duration.ofSeconds(20));
    }

    @Test
    void theNewestPipelineOfTheCommitOnTheDefaultBranchDecides() {
        String repo = newRepo();
        String sha = newSha();
        long id = woodpecker.addRepo(repo, "main");
        woodpecker.addPipeline(id, sha, "main", "failure", "rollout");
        woodpecker.addPipeline(id, sha, "feature", "failure", "test");
        long rerun = woodpecker.addPipeline(id, sha, "main", "success");

        Verdict verdict = verdict(repo, sha, "main");

        assertThat(verdict.outcome()).isEqualTo(Outcome.GREEN);
        assertThat(verdict.reason()).isEqualTo("Woodpecker: pipeline #" + rerun + " success");
    }

    @Test
    void aFailedPipelineNamesItsFailedStepsWithALinkToIt() {
        String repo = newRepo();
        String sha = newSha();
        long id = woodpecker.addRepo(repo, "main");
        long number = woodpecker.addPipeline(id, sha, "main", "failure", "rollout");

        Verdict verdict = verdict(repo, sha, "main");

        assertThat(verdict.outcome()).isEqualTo(Outcome.RED);
        assertThat(verdict.checks()).extracting(Check::name).containsExactly("deploy/rollout");
        assertThat(verdict.checks().get(0).url()).hasToString(woodpecker.url() + "/repos/" + id + "/pipeline/" + number);
    }

    @Test
    void everyContractStatusMapsThroughTheServer() {
        String repo = newRepo();
        long id = woodpecker.addRepo(repo, "main");
        for (String status : List.of("success", "skipped", "failure", "killed", "error", "declined", "canceled",
                "pending", "running", "created", "blocked")) {
            String sha = newSha();
            woodpecker.addPipeline(id, sha, "main", status);
            assertThat(verdict(repo, sha, "main").outcome()).as(status).isEqualTo(PipelineVerdict.outcome(status));
        }
    }

    @Test
    void theRepositoryIdIsLookedUpOnceAndTheDefaultBranchComesFromWoodpecker() {
        String repo = newRepo();
        long id = woodpecker.addRepo(repo, "trunk");
        String sha = newSha();
        woodpecker.addPipeline(id, sha, "trunk", "running");
        int before = woodpecker.lookups();

        assertThat(verdict(repo, sha, null).outcome()).isEqualTo(Outcome.PENDING);
        assertThat(verdict(repo, sha, null).outcome()).isEqualTo(Outcome.PENDING);

        assertThat(woodpecker.lookups() - before).isEqualTo(1);
        assertThat(woodpecker.requests()).filteredOn(r -> r.path().endsWith("/pipelines"))
                .allMatch(r -> ("Bearer " + FakeWoodpecker.TOKEN).equals(r.header("Authorization")))
                .anyMatch(r -> "trunk".equals(LoopbackHttpFake.query(r).get("branch")));
    }

    @Test
    void anOlderCommitIsFoundOnALaterPage() {
        String repo = newRepo();
        long id = woodpecker.addRepo(repo, "main");
        String old = newSha();
        woodpecker.addPipeline(id, old, "main", "success");
        for (int i = 0; i < 60; i++) {
            woodpecker.addPipeline(id, newSha(), "main", "success");
        }

        assertThat(verdict(repo, old, "main").outcome()).isEqualTo(Outcome.GREEN);
    }

    @Test
    void noPipelineForTheCommitYetIsPending() {
        String repo = newRepo();
        woodpecker.addRepo(repo, "main");

        Verdict verdict = verdict(repo, newSha(), "main");

        assertThat(verdict.outcome()).isEqualTo(Outcome.PENDING);
        assertThat(verdict.reason()).contains("no pipeline for this commit on main yet");
    }

    @Test
    void aRepositoryWoodpeckerDoesNotKnowCannotBeJudged() {
        assertThatThrownBy(() -> verdict("acme/not-activated", newSha(), "main"))
                .isInstanceOf(CiUnavailableException.class).hasMessageContaining("not found in Woodpecker");
    }
}
