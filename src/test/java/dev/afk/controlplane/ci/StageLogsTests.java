package dev.afk.controlplane.ci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.afk.controlplane.ci.CiVerdicts.Check;
import dev.afk.controlplane.ci.CiVerdicts.Outcome;
import dev.afk.controlplane.ci.CiVerdicts.Stage;
import dev.afk.controlplane.ci.CiVerdicts.Target;
import dev.afk.controlplane.ci.CiVerdicts.Verdict;
import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.fakes.CiDoorbellFakes;
import dev.afk.controlplane.fakes.github.FakeGitHub;
import dev.afk.controlplane.fakes.github.FakeGitHubResource;
import dev.afk.controlplane.fakes.github.FakeRepo;
import dev.afk.controlplane.fakes.woodpecker.FakeWoodpecker;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link CiLogs} port through its two adapters, on the checks their own stages report: GitHub
 * Actions job logs (a redirect to a signed download, read without our token) and Woodpecker step
 * logs, each cut to its last bytes.
 */
@QuarkusTest
class StageLogsTests {

    private static final String ERROR = "Error: src/app.ts(3,7): Type 'string' is not assignable to type 'number'.";
    private static final String LONG_LOG = "npm notice downloading\n".repeat(20_000) + ERROR;

    /** The real port (elsewhere in the suite a scripted {@code CiLogs} stands in for it). */
    @Inject
    StageLogsByStage logs;
    @Inject
    FoldedCiVerdicts verdicts;

    private final FakeGitHub github = FakeGitHubResource.fake();
    private final FakeWoodpecker woodpecker = CiDoorbellFakes.woodpecker();

    @AfterEach
    void everyGitHubAnswerFollowedTheContract() {
        assertThat(github.contractViolations()).isEmpty();
    }

    private static String newSha() {
        return (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "").substring(0, 40);
    }

    private Verdict verdict(String repo, String sha, Stage stage) {
        return verdicts.verdict(new Target(RepoSlug.parse(repo), sha, "main", List.of(stage), List.of(), List.of(), null))
                .await().atMost(Duration.ofSeconds(20));
    }

    private Optional<String> tail(String repo, Check check, int maxBytes) {
        return logs.tail(RepoSlug.parse(repo), check, maxBytes).await().atMost(Duration.ofSeconds(30));
    }

    @Test
    void aFailedActionsJobsLogIsReadThroughItsSignedDownloadWithoutOurToken() {
        FakeRepo repo = github.repo("acme/logs-" + UUID.randomUUID().toString().substring(0, 8));
        String sha = newSha();
        repo.checkRun(sha, "lint", "completed", "success");
        long build = repo.checkRun(sha, "build", "completed", "failure");
        repo.jobLog(build, LONG_LOG);
        long served = github.downloadsServed();

        Verdict verdict = verdict(repo.fullName(), sha, Stage.GITHUB_ACTIONS);
        Check failing = verdict.checks().getFirst();
        Optional<String> tail = tail(repo.fullName(), failing, 4096);

        assertThat(tail).hasValueSatisfying(text -> assertThat(text).endsWith(ERROR).hasSizeLessThanOrEqualTo(4096)
                .hasSizeGreaterThan(4000));
        assertThat(github.downloadsServed()).isEqualTo(served + 1);
        List<FakeGitHub.Call> logCalls = github.calls().stream()
                .filter(c -> c.path().equals("/repos/" + repo.fullName() + "/actions/jobs/" + build + "/logs")).toList();
        assertThat(logCalls).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo(302);
            assertThat(c.token()).isNotNull();
        });
        assertThat(github.calls()).filteredOn(c -> c.template().equals("signed job log download"))
                .allSatisfy(c -> assertThat(c.token()).as("the signed download gets no token").isNull());
    }

    @Test
    void aCheckWithoutAnActionsJobHasNoLogAndCostsNoRequest() {
        FakeRepo repo = github.repo("acme/logs-" + UUID.randomUUID().toString().substring(0, 8));
        String sha = newSha();
        repo.status(sha, "ci/external", "failure");
        Check status = verdict(repo.fullName(), sha, Stage.GITHUB_ACTIONS).checks().getFirst();
        int before = github.callsTo(repo.fullName()).size();

        assertThat(tail(repo.fullName(), status, 4096)).isEmpty();
        // A workflow run's page is not a job's either.
        Check workflow = new Check(Stage.GITHUB_ACTIONS, "workflow CI", Outcome.RED,
                URI.create("https://github.com/" + repo.fullName() + "/actions/runs/42"), "startup_failure");
        assertThat(tail(repo.fullName(), workflow, 4096)).isEmpty();
        assertThat(github.callsTo(repo.fullName())).hasSize(before);
    }

    @Test
    void aJobWithoutLogsHasNone() {
        FakeRepo repo = github.repo("acme/logs-" + UUID.randomUUID().toString().substring(0, 8));
        String sha = newSha();
        long build = repo.checkRun(sha, "build", "completed", "failure");
        Check failing = verdict(repo.fullName(), sha, Stage.GITHUB_ACTIONS).checks().getFirst();

        assertThat(tail(repo.fullName(), failing, 4096)).isEmpty();
        assertThat(github.callsTo(repo.fullName())).filteredOn(c -> c.path().endsWith("/jobs/" + build + "/logs"))
                .extracting(FakeGitHub.Call::status).containsExactly(404);
    }

    @Test
    void aFailedWoodpeckerStepsLogIsReadToItsEnd() {
        String repo = "acme/wp-logs-" + UUID.randomUUID().toString().substring(0, 8);
        String sha = newSha();
        long id = woodpecker.addRepo(repo, "main");
        long number = woodpecker.addPipeline(id, sha, "main", "failure", "build", "test");
        woodpecker.stepLog(id, number, "test", LONG_LOG);
        woodpecker.stepLog(id, number, "build", "compiled\nERROR in build");

        Verdict verdict = verdict(repo, sha, Stage.WOODPECKER);

        assertThat(verdict.checks()).extracting(Check::name).containsExactly("deploy/build", "deploy/test");
        assertThat(tail(repo, verdict.checks().get(1), 2048)).hasValueSatisfying(text -> assertThat(text)
                .endsWith(ERROR).hasSizeLessThanOrEqualTo(2048).doesNotContain("ERROR in build"));
        assertThat(tail(repo, verdict.checks().get(0), 2048)).hasValue("compiled\nERROR in build");
    }

    @Test
    void aWoodpeckerCheckOfAnotherPipelineOrWithoutAStepHasNoLog() {
        String repo = "acme/wp-logs-" + UUID.randomUUID().toString().substring(0, 8);
        String sha = newSha();
        long id = woodpecker.addRepo(repo, "main");
        long number = woodpecker.addPipeline(id, sha, "main", "failure", "test");
        int reads = woodpecker.logReads().size();

        Check noStep = new Check(Stage.WOODPECKER, "deploy", Outcome.RED,
                URI.create(woodpecker.url() + "/repos/" + id + "/pipeline/" + number), "config is invalid");
        Check unknownPipeline = new Check(Stage.WOODPECKER, "deploy/test", Outcome.RED,
                URI.create(woodpecker.url() + "/repos/" + id + "/pipeline/" + (number + 50)), "failure");

        assertThat(tail(repo, noStep, 2048)).isEmpty();
        assertThat(tail(repo, unknownPipeline, 2048)).isEmpty();
        assertThat(woodpecker.logReads()).hasSize(reads);
    }
}
