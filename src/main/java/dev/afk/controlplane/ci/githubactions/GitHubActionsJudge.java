package dev.afk.controlplane.ci.githubactions;

import dev.afk.controlplane.ci.CiVerdicts.Stage;
import dev.afk.controlplane.ci.CiVerdicts.Target;
import dev.afk.controlplane.ci.CiVerdicts.Verdict;
import dev.afk.controlplane.ci.StageJudge;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** The GitHub Actions stage: check runs, commit statuses and workflow runs of the commit. */
@ApplicationScoped
public class GitHubActionsJudge implements StageJudge {

    private final GitHubChecksClient github;

    GitHubActionsJudge(GitHubChecksClient github) {
        this.github = github;
    }

    @Override
    public Stage stage() {
        return Stage.GITHUB_ACTIONS;
    }

    @Override
    public Uni<Verdict> judge(Target target) {
        // One after the other, not at once: a rate limit seen on the first answer stops the rest.
        return github.checkRuns(target.repo(), target.sha()).flatMap(checkRuns ->
                github.statuses(target.repo(), target.sha()).flatMap(statuses ->
                        github.workflowRuns(target.repo(), target.sha()).map(workflowRuns ->
                                ActionsVerdict.of(checkRuns, statuses, workflowRuns, target.requiredChecks()))));
    }
}
