package dev.afk.controlplane.afk.runs;

import static dev.afk.controlplane.afk.runs.RunState.AWAITING_CI;
import static dev.afk.controlplane.afk.runs.RunState.DONE;

import dev.afk.controlplane.ci.CiVerdicts;
import dev.afk.controlplane.common.RunId;
import java.net.URI;
import java.util.List;

/**
 * The run's checklist comment: worktree → dispatched → pushed → CI → deployed → done. Rendered
 * from the run alone, so re-rendering is idempotent and the comment is edited in place (G5). Its
 * first line is a hidden marker naming the run, so the comment can be found again when its id was
 * lost (a crash between the tracker creating it and the run storing the id).
 */
public final class Checklist {

    /** The hidden first line that marks the comment as this run's; rendered markdown does not show it. */
    public static String marker(RunId runId) {
        return "<!-- afk-run: " + runId + " -->";
    }

    private Checklist() {}

    private enum Mark {
        DONE("[x]"), CURRENT("[~]"), TODO("[ ]"), FAILED("[!]");

        final String box;

        Mark(String box) {
            this.box = box;
        }
    }

    public static String render(Run run, URI threadLink) {
        Progress p = run.progress();
        RunState s = p.state();
        boolean dispatched = p.dispatchedAt() != null;
        boolean pushed = p.commitSha() != null;
        boolean green = s == DONE;
        boolean red = p.lastVerdict() == dev.afk.controlplane.ci.CiVerdicts.Outcome.RED && !green;
        // "deployed" only where a rollout is judged: without one, green CI says nothing about a deploy.
        boolean byPullRequest = run.settings() != null && run.settings().byPullRequest();
        boolean rollout = run.settings() == null || run.settings().ciStages().contains(dev.afk.controlplane.ci.CiVerdicts.Stage.ROLLOUT);
        List<String> lines = java.util.stream.Stream.of(
                line(run.workspace().worktreePath() != null ? Mark.DONE : Mark.CURRENT, "worktree"),
                line(dispatched ? Mark.DONE : s.terminal() ? Mark.TODO : Mark.CURRENT, "dispatched to the executor"),
                line(pushed ? Mark.DONE : dispatched && !s.terminal() ? Mark.CURRENT : Mark.TODO,
                        "pushed" + (pushed ? " `" + RunDecision.shortSha(p.commitSha()) + "`" : "")),
                line(green ? Mark.DONE : red ? Mark.FAILED : s == AWAITING_CI ? Mark.CURRENT : Mark.TODO, "CI"),
                // A pull-request run: merged by the pipeline once its head is green (GREEN while AWAITING_CI = merge asked).
                byPullRequest ? line(green ? Mark.DONE : s == AWAITING_CI && p.lastVerdict() == CiVerdicts.Outcome.GREEN
                        ? Mark.CURRENT : Mark.TODO, "merged") : null,
                rollout ? line(green ? Mark.DONE : Mark.TODO, "deployed") : null,
                line(green ? Mark.DONE : Mark.TODO, "done")).filter(java.util.Objects::nonNull).toList();
        StringBuilder out = new StringBuilder(marker(run.id())).append('\n')
                .append("**AFK run** `").append(run.id()).append("`: **").append(s).append("**\n\n");
        lines.forEach(l -> out.append(l).append('\n'));
        out.append("\nFix-forward attempts: ").append(p.fixForwardAttempts()).append('\n');
        if (p.outcomeReason() != null) {
            out.append("\nOutcome: ").append(p.outcomeReason()).append('\n');
        }
        if (threadLink != null) {
            out.append("\n[Open the thread in the executor](").append(threadLink).append(")\n");
        }
        return out.toString();
    }

    private static String line(Mark mark, String step) {
        return "- " + mark.box + " " + step;
    }
}
