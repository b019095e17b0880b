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
        return Uni.combine().all()
                .unis(github.checkRuns(target.repo(), target.sha()),
                        github.statuses(target.repo(), target.sha()),
                        github.workflowRuns(target.repo(), target.sha()))
                .with((checkRuns, statuses, workflowRuns) ->
                        ActionsVerdict.of(checkRuns, statuses, workflowRuns, target.requiredChecks()));
    }
}
