package dev.afk.controlplane.ci.githubactions;

import static dev.afk.controlplane.ci.StageVerdicts.link;

import dev.afk.controlplane.ci.CiVerdicts.Check;
import dev.afk.controlplane.ci.CiVerdicts.Outcome;
import dev.afk.controlplane.ci.CiVerdicts.Stage;
import dev.afk.controlplane.ci.CiVerdicts.Verdict;
import dev.afk.controlplane.ci.StageVerdicts;
import dev.afk.controlplane.ci.githubactions.GitHubChecks.CheckRun;
import dev.afk.controlplane.ci.githubactions.GitHubChecks.CommitStatus;
import dev.afk.controlplane.ci.githubactions.GitHubChecks.WorkflowRun;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Pure: the GitHub Actions verdict of a commit from its check runs, commit statuses and workflow
 * runs. A workflow run with no check runs stands in for its jobs: that is how a run that needs
 * approval ({@code action_required}) or never started ({@code startup_failure}) shows, and it must
 * decide rather than leave the commit pending forever.
 */
final class ActionsVerdict {

    private static final Stage STAGE = Stage.GITHUB_ACTIONS;
    /** GitHub allows 64 KiB of summary; a prompt and a stored effect need the gist, not all of it. */
    static final int MAX_TITLE = 200;
    static final int MAX_SUMMARY = 4_000;

    private ActionsVerdict() {}

    static Verdict of(List<CheckRun> checkRuns, List<CommitStatus> statuses, List<WorkflowRun> workflowRuns,
            List<String> requiredChecks) {
        List<Check> reported = Stream.concat(
                checkRuns.stream().map(ActionsVerdict::check),
                statuses.stream().map(ActionsVerdict::check)).toList();
        List<Check> standIns = standIns(checkRuns, workflowRuns);
        List<Check> judged = new ArrayList<>();
        if (requiredChecks == null || requiredChecks.isEmpty()) {
            judged.addAll(reported);
            judged.addAll(standIns);
        } else {
            Set<String> seen = new HashSet<>();
            reported.stream().filter(c -> requiredChecks.contains(c.name())).forEach(c -> {
                judged.add(c);
                seen.add(c.name());
            });
            List<String> missing = requiredChecks.stream().filter(name -> !seen.contains(name)).toList();
            missing.forEach(name -> judged.add(new Check(STAGE, name, Outcome.PENDING, null, "not reported yet")));
            if (!missing.isEmpty()) {
                // A required check that never appeared may be a job of a workflow that could not run.
                judged.addAll(standIns);
            }
        }
        if (judged.isEmpty()) {
            return Verdict.pending(STAGE.label() + ": nothing has reported on this commit yet",
                    List.of(new Check(STAGE, "checks", Outcome.PENDING, null, "none reported yet")));
        }
        return StageVerdicts.of(STAGE, judged, judged.size() + " checks passed");
    }

    /** success, neutral and skipped pass; action_required needs a human; every other conclusion fails (fail closed). */
    static Outcome outcome(String status, String conclusion) {
        if (!"completed".equals(status)) {
            return Outcome.PENDING;
        }
        return switch (Objects.requireNonNullElse(conclusion, "")) {
            case "success", "neutral", "skipped" -> Outcome.GREEN;
            case "action_required" -> Outcome.ACTION_REQUIRED;
            default -> Outcome.RED;
        };
    }

    /** A commit status: error and failure fail, pending waits, success passes. */
    static Outcome outcome(String state) {
        return switch (Objects.requireNonNullElse(state, "")) {
            case "success" -> Outcome.GREEN;
            case "pending" -> Outcome.PENDING;
            default -> Outcome.RED;
        };
    }

    private static Check check(CheckRun run) {
        String url = run.htmlUrl() != null ? run.htmlUrl() : run.detailsUrl();
        String summary = "completed".equals(run.status()) ? run.conclusion() : run.status();
        return new Check(STAGE, run.name(), outcome(run.status(), run.conclusion()), link(url), summary, detail(run.output()));
    }

    /** The check run's output title and summary, each cut to its bound; null when it reported neither. */
    static String detail(CheckRun.Output output) {
        if (output == null) {
            return null;
        }
        String detail = Stream.of(bounded(output.title(), MAX_TITLE), bounded(output.summary(), MAX_SUMMARY))
                .filter(Objects::nonNull).collect(Collectors.joining("\n"));
        return detail.isEmpty() ? null : detail;
    }

    private static String bounded(String text, int max) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String trimmed = text.strip();
        return trimmed.length() <= max ? trimmed : trimmed.substring(0, max) + " [... cut at " + max + " characters]";
    }

    private static Check check(CommitStatus status) {
        String summary = status.description() == null || status.description().isBlank() ? status.state() : status.description();
        return new Check(STAGE, status.context(), outcome(status.state()), link(status.targetUrl()), summary);
    }

    private static List<Check> standIns(List<CheckRun> checkRuns, List<WorkflowRun> workflowRuns) {
        Set<Long> suitesWithRuns = new HashSet<>();
        checkRuns.stream().filter(r -> r.checkSuite() != null).forEach(r -> suitesWithRuns.add(r.checkSuite().id()));
        return workflowRuns.stream()
                .filter(w -> w.checkSuiteId() == null || !suitesWithRuns.contains(w.checkSuiteId()))
                .map(w -> new Check(STAGE, "workflow " + (w.name() != null ? w.name() : w.displayTitle()),
                        outcome(w.status(), w.conclusion()), link(w.htmlUrl()),
                        "completed".equals(w.status()) ? w.conclusion() : w.status()))
                .toList();
    }
}
