package dev.afk.controlplane.ci.woodpecker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.afk.controlplane.ci.CiVerdicts.Check;
import dev.afk.controlplane.ci.CiVerdicts.Outcome;
import dev.afk.controlplane.ci.CiVerdicts.Verdict;
import dev.afk.controlplane.ci.woodpecker.WoodpeckerApi.Pipeline;
import dev.afk.controlplane.ci.woodpecker.WoodpeckerApi.PipelineError;
import dev.afk.controlplane.ci.woodpecker.WoodpeckerApi.Step;
import dev.afk.controlplane.ci.woodpecker.WoodpeckerApi.Workflow;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PipelineVerdictTests {

    private static final URI LINK = URI.create("https://ci.example.org/repos/7/pipeline/3");

    private static Pipeline pipeline(String status, List<Workflow> workflows, List<PipelineError> errors) {
        return new Pipeline(1, 3, "abc", "main", "push", status, workflows, errors);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "success, GREEN", "skipped, GREEN",
            "failure, RED", "killed, RED", "error, RED", "declined, RED", "canceled, RED",
            "pending, PENDING", "running, PENDING", "created, PENDING", "blocked, PENDING",
            "something-new, RED"})
    void everyStatusOfTheContractMaps(String status, Outcome expected) {
        assertThat(PipelineVerdict.outcome(status)).isEqualTo(expected);
        assertThat(PipelineVerdict.of(Optional.of(pipeline(status, List.of(), List.of())), "main", LINK).outcome())
                .isEqualTo(expected);
    }

    @Test
    void redNamesTheFailedStepsAndLinksThePipeline() {
        Workflow deploy = new Workflow("deploy", "failure", null, List.of(
                new Step("clone", "success", null, 0), new Step("rollout", "failure", null, 1)));
        Workflow lint = new Workflow("lint", "error", "config is invalid", List.of());

        Verdict verdict = PipelineVerdict.of(Optional.of(pipeline("failure", List.of(deploy, lint), List.of())), "main", LINK);

        assertThat(verdict.outcome()).isEqualTo(Outcome.RED);
        assertThat(verdict.checks()).extracting(Check::name, Check::summary).containsExactly(
                org.assertj.core.groups.Tuple.tuple("deploy/rollout", "failure, exit code 1"),
                org.assertj.core.groups.Tuple.tuple("lint", "config is invalid"));
        assertThat(verdict.checks()).allMatch(c -> LINK.equals(c.url()));
    }

    @Test
    void aBlockedPipelineSaysItWaitsForApproval() {
        Verdict verdict = PipelineVerdict.of(Optional.of(pipeline("blocked", null, null)), "main", LINK);
        assertThat(verdict.outcome()).isEqualTo(Outcome.PENDING);
        assertThat(verdict.reason()).contains("waiting for approval");
    }

    @Test
    void anErroredPipelineWithoutWorkflowsShowsItsErrors() {
        Verdict verdict = PipelineVerdict.of(Optional.of(pipeline("error", List.of(),
                List.of(new PipelineError("yaml: line 3: did not find expected key", false)))), "main", LINK);
        assertThat(verdict.checks()).extracting(Check::summary).containsExactly("error: yaml: line 3: did not find expected key");
    }

    @Test
    void noPipelineYetIsPending() {
        Verdict verdict = PipelineVerdict.of(Optional.empty(), "main", null);
        assertThat(verdict.outcome()).isEqualTo(Outcome.PENDING);
        assertThat(verdict.reason()).isEqualTo("Woodpecker: no pipeline for this commit on main yet");
    }
}
