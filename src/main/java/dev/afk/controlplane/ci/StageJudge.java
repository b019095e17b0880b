package dev.afk.controlplane.ci;

import dev.afk.controlplane.ci.CiVerdicts.Stage;
import dev.afk.controlplane.ci.CiVerdicts.Target;
import dev.afk.controlplane.ci.CiVerdicts.Verdict;
import io.smallrye.mutiny.Uni;

/**
 * What each CI adapter implements: the verdict of one stage for a commit. A stage that cannot
 * look (network, rate limit, permissions) fails the Uni with {@link CiUnavailableException}
 * rather than guessing; "not reported yet" is {@code PENDING}.
 */
public interface StageJudge {

    Stage stage();

    Uni<Verdict> judge(Target target);
}
