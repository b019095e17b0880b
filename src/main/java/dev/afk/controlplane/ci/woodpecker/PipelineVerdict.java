package dev.afk.controlplane.ci.woodpecker;

import dev.afk.controlplane.ci.CiVerdicts.Check;
import dev.afk.controlplane.ci.CiVerdicts.Outcome;
import dev.afk.controlplane.ci.CiVerdicts.Stage;
import dev.afk.controlplane.ci.CiVerdicts.Verdict;
import dev.afk.controlplane.ci.StageVerdicts;
import dev.afk.controlplane.ci.woodpecker.WoodpeckerApi.Pipeline;
import dev.afk.controlplane.ci.woodpecker.WoodpeckerApi.PipelineError;
import dev.afk.controlplane.ci.woodpecker.WoodpeckerApi.Step;
import dev.afk.controlplane.ci.woodpecker.WoodpeckerApi.Workflow;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Pure: the Woodpecker verdict of a commit from its newest pipeline on the default branch. */
final class PipelineVerdict {

    private static final Stage STAGE = Stage.WOODPECKER;

    private PipelineVerdict() {}

    static Verdict of(Optional<Pipeline> newest, String branch, URI pipelineLink) {
        if (newest.isEmpty()) {
            return Verdict.pending(STAGE.label() + ": no pipeline for this commit on " + branch + " yet",
                    List.of(new Check(STAGE, "pipeline", Outcome.PENDING, null, "not started yet")));
        }
        Pipeline pipeline = newest.get();
        String name = "pipeline #" + pipeline.number();
        Outcome outcome = outcome(pipeline.status());
        List<Check> checks = outcome == Outcome.RED ? failures(pipeline, pipelineLink) : List.of();
        if (checks.isEmpty()) {
            checks = List.of(new Check(STAGE, name, outcome, pipelineLink, describe(pipeline)));
        }
        return StageVerdicts.of(STAGE, checks, name + " " + pipeline.status());
    }

    /**
     * success and skipped pass; failure, killed, error, declined and canceled fail; pending, running,
     * created and blocked (waiting for approval) wait; an unknown status fails closed.
     */
    static Outcome outcome(String status) {
        return switch (Objects.requireNonNullElse(status, "")) {
            case "success", "skipped" -> Outcome.GREEN;
            case "pending", "running", "created", "blocked" -> Outcome.PENDING;
            default -> Outcome.RED;
        };
    }

    /** The failed workflows and steps, so the fix-forward prompt can point at them. */
    private static List<Check> failures(Pipeline pipeline, URI link) {
        return Optional.ofNullable(pipeline.workflows()).orElse(List.of()).stream()
                .flatMap(workflow -> failedSteps(workflow).isEmpty() && outcome(workflow.state()) == Outcome.RED
                        ? Stream.of(new Check(STAGE, workflow.name(), Outcome.RED, link,
                                Objects.requireNonNullElse(blankToNull(workflow.error()), workflow.state())))
                        : failedSteps(workflow).stream().map(step -> new Check(STAGE, workflow.name() + "/" + step.name(),
                                Outcome.RED, link, stepSummary(step))))
                .toList();
    }

    private static List<Step> failedSteps(Workflow workflow) {
        return Optional.ofNullable(workflow.children()).orElse(List.of()).stream()
                .filter(step -> outcome(step.state()) == Outcome.RED)
                .toList();
    }

    private static String stepSummary(Step step) {
        String error = blankToNull(step.error());
        if (error != null) {
            return error;
        }
        return step.exitCode() != null && step.exitCode() != 0 ? step.state() + ", exit code " + step.exitCode() : step.state();
    }

    private static String describe(Pipeline pipeline) {
        String errors = Optional.ofNullable(pipeline.errors()).orElse(List.of()).stream()
                .filter(e -> !e.warning()).map(PipelineError::message).filter(Objects::nonNull)
                .collect(Collectors.joining("; "));
        String status = "blocked".equals(pipeline.status()) ? "blocked: waiting for approval in Woodpecker" : pipeline.status();
        return errors.isEmpty() ? status : status + ": " + errors;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
