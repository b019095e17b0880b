package dev.afk.controlplane.ci;

import dev.afk.controlplane.ci.CiVerdicts.Outcome;
import dev.afk.controlplane.ci.CiVerdicts.Verdict;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Pure: the verdict of a commit from its stages' verdicts, in the repository's order. A stage that
 * is not green decides (later stages are not asked: a deploy waits on the build before it); a
 * commit is green only when every stage is.
 */
public final class VerdictFold {

    private VerdictFold() {}

    /** Whether this stage's verdict ends the fold. */
    public static boolean decides(Verdict stageVerdict) {
        return stageVerdict.outcome() != Outcome.GREEN;
    }

    /** Folds the verdicts judged so far, in stage order. No stages at all is vacuously green. */
    public static Verdict fold(List<Verdict> inStageOrder) {
        return inStageOrder.stream().filter(VerdictFold::decides).findFirst()
                .orElseGet(() -> Verdict.green(inStageOrder.isEmpty() ? "no CI stages configured"
                        : inStageOrder.stream().map(Verdict::reason).collect(Collectors.joining("; "))));
    }
}
