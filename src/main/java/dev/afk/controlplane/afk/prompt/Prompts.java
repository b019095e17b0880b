package dev.afk.controlplane.afk.prompt;

import dev.afk.controlplane.afk.repos.Landing;
import dev.afk.controlplane.ci.CiVerdicts.Check;
import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.common.RunId;
import dev.afk.controlplane.tracker.Issue;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The implementer and fix-forward prompts: built-in templates, or the repository's own workflow body. */
public final class Prompts {

    /** {@code push_branch} is where the agent pushes; {@code push_step} says how, in the run's landing mode. */
    public static final Set<String> IMPLEMENTER_VARIABLES = Set.of("repo", "default_branch", "run_id", "issue.number",
            "issue.title", "issue.body", "test_command", "push_branch", "push_step");
    private static final Set<String> FIX_FORWARD_VARIABLES =
            Set.of("repo", "default_branch", "run_id", "issue.number", "situation", "attempt", "max_attempts",
                    "failing_checks", "diagnosis", "push_step");
    private static final Set<String> MERGE_REFUSED_VARIABLES = Set.of("default_branch", "run_id", "issue.number",
            "pull_request", "branch", "reason", "attempt", "max_attempts", "push_step");

    private static final PromptTemplate BUILT_IN = PromptTemplate.parse(resource("implementer.md"), IMPLEMENTER_VARIABLES);
    private static final PromptTemplate FIX_FORWARD = PromptTemplate.parse(resource("fix-forward.md"), FIX_FORWARD_VARIABLES);
    private static final PromptTemplate MERGE_REFUSED = PromptTemplate.parse(resource("merge-refused.md"), MERGE_REFUSED_VARIABLES);

    private Prompts() {}

    /** The template a repository dispatches with; throws {@link TemplateException} if its own one is unusable. */
    public static PromptTemplate implementer(WorkflowFile workflow) {
        return workflow == null ? BUILT_IN : PromptTemplate.parse(workflow.body(), IMPLEMENTER_VARIABLES);
    }

    public static String implementer(PromptTemplate template, RepoSlug repo, String defaultBranch, RunId runId,
            Issue issue, String testCommand, Landing landing) {
        String branch = pushBranch(landing, defaultBranch, issue.number(), runId);
        String pushStep = landing.byPullRequest()
                ? "Push your branch as `" + branch + "`: `git push origin HEAD:refs/heads/" + branch + "`.\n"
                        + "   Never push to `" + defaultBranch + "`, and do not open a pull request yourself: the control\n"
                        + "   plane opens it, watches its CI and merges it once it is green. If the push is rejected,\n"
                        + "   fetch, merge, re-run the tests and push again."
                : "Push to `" + defaultBranch + "` directly: `git push origin HEAD:" + defaultBranch + "`. If the push\n"
                        + "   is rejected as non-fast-forward, fetch, merge, re-run the tests and push again. Do not open a\n"
                        + "   pull request.";
        return template.render(Map.of(
                "repo", PromptTemplate.Value.trusted(repo.toString()),
                "default_branch", PromptTemplate.Value.trusted(defaultBranch),
                "run_id", PromptTemplate.Value.trusted(runId.toString()),
                "issue.number", PromptTemplate.Value.trusted(Integer.toString(issue.number())),
                "issue.title", PromptTemplate.Value.untrusted(issue.title()),
                "issue.body", PromptTemplate.Value.untrusted(issue.body() == null ? "" : issue.body()),
                "test_command", PromptTemplate.Value.trusted(testCommand == null ? "the repository's test command" : testCommand),
                "push_branch", PromptTemplate.Value.trusted(branch),
                "push_step", PromptTemplate.Value.trusted(pushStep)));
    }

    public static String fixForward(RepoSlug repo, String defaultBranch, RunId runId, int issue, String sha,
            int attempt, int maxAttempts, List<Check> failing, String diagnosis, Landing landing) {
        String branch = pushBranch(landing, defaultBranch, issue, runId);
        String situation = landing.byPullRequest()
                ? "CI is RED on your commit " + sha + " on the branch `" + branch + "`. Nothing of it is merged\n"
                        + "yet: fix it forward on that branch."
                : "CI is RED on your commit " + sha + " on `" + defaultBranch + "`. The broken commit stays deployed:\n"
                        + "fix it forward, do not revert it.";
        String checks = failing.isEmpty() ? "(CI gave no details)"
                : failing.stream().map(Prompts::failingCheck).collect(Collectors.joining("\n"));
        return FIX_FORWARD.render(Map.of(
                "repo", PromptTemplate.Value.trusted(repo.toString()),
                "default_branch", PromptTemplate.Value.trusted(defaultBranch),
                "run_id", PromptTemplate.Value.trusted(runId.toString()),
                "issue.number", PromptTemplate.Value.trusted(Integer.toString(issue)),
                "situation", PromptTemplate.Value.trusted(situation),
                "attempt", PromptTemplate.Value.trusted(Integer.toString(attempt)),
                "max_attempts", PromptTemplate.Value.trusted(Integer.toString(maxAttempts)),
                "failing_checks", PromptTemplate.Value.untrusted(checks),
                "diagnosis", PromptTemplate.Value.untrusted(diagnosis == null
                        ? "(none: no diagnosis was available; read the logs yourself)" : diagnosis),
                "push_step", PromptTemplate.Value.trusted(fixPushStep(landing, defaultBranch, branch))));
    }

    /** A corrective turn after the forge refused to merge the run's pull request (a conflict, most often). */
    public static String mergeRefused(String defaultBranch, RunId runId, int issue, int pullRequest, String reason,
            int attempt, int maxAttempts, Landing landing) {
        String branch = pushBranch(landing, defaultBranch, issue, runId);
        return MERGE_REFUSED.render(Map.of(
                "default_branch", PromptTemplate.Value.trusted(defaultBranch),
                "run_id", PromptTemplate.Value.trusted(runId.toString()),
                "issue.number", PromptTemplate.Value.trusted(Integer.toString(issue)),
                "pull_request", PromptTemplate.Value.trusted(Integer.toString(pullRequest)),
                "branch", PromptTemplate.Value.trusted(branch),
                "reason", PromptTemplate.Value.untrusted(reason == null ? "(no reason given)" : reason),
                "attempt", PromptTemplate.Value.trusted(Integer.toString(attempt)),
                "max_attempts", PromptTemplate.Value.trusted(Integer.toString(maxAttempts)),
                "push_step", PromptTemplate.Value.trusted(fixPushStep(landing, defaultBranch, branch))));
    }

    private static String pushBranch(Landing landing, String defaultBranch, int issue, RunId runId) {
        return landing.byPullRequest() ? Landing.branch(issue, runId) : defaultBranch;
    }

    private static String fixPushStep(Landing landing, String defaultBranch, String branch) {
        return landing.byPullRequest()
                ? "Push to the same branch `" + branch + "` (`git push origin HEAD:refs/heads/" + branch + "`), never\n"
                        + "   to `" + defaultBranch + "`, retrying after a merge if the push is rejected, then stop."
                : "Push to `" + defaultBranch + "` (`git push origin HEAD:" + defaultBranch + "`), retrying after a\n"
                        + "   merge if the push is rejected, then stop.";
    }

    /** One line per check, then what CI said about it (indented), so an agent without CI access sees the failure. */
    private static String failingCheck(Check c) {
        String line = "- " + c.stage() + " / " + c.name() + ": " + c.outcome()
                + (c.summary() == null ? "" : " - " + c.summary())
                + (c.url() == null ? "" : " (" + c.url() + ")");
        return c.detail() == null ? line : line + "\n" + c.detail().replace("\r\n", "\n").indent(2).stripTrailing();
    }

    private static String resource(String name) {
        try (InputStream in = Prompts.class.getResourceAsStream("/prompts/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing built-in prompt " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
