package dev.afk.controlplane.afk.prompt;

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

    public static final Set<String> IMPLEMENTER_VARIABLES =
            Set.of("repo", "default_branch", "run_id", "issue.number", "issue.title", "issue.body", "test_command");
    private static final Set<String> FIX_FORWARD_VARIABLES =
            Set.of("repo", "default_branch", "run_id", "issue.number", "sha", "attempt", "max_attempts", "failing_checks",
                    "diagnosis");

    private static final PromptTemplate BUILT_IN = PromptTemplate.parse(resource("implementer.md"), IMPLEMENTER_VARIABLES);
    private static final PromptTemplate FIX_FORWARD = PromptTemplate.parse(resource("fix-forward.md"), FIX_FORWARD_VARIABLES);

    private Prompts() {}

    /** The template a repository dispatches with; throws {@link TemplateException} if its own one is unusable. */
    public static PromptTemplate implementer(WorkflowFile workflow) {
        return workflow == null ? BUILT_IN : PromptTemplate.parse(workflow.body(), IMPLEMENTER_VARIABLES);
    }

    public static String implementer(PromptTemplate template, RepoSlug repo, String defaultBranch, RunId runId,
            Issue issue, String testCommand) {
        return template.render(Map.of(
                "repo", PromptTemplate.Value.trusted(repo.toString()),
                "default_branch", PromptTemplate.Value.trusted(defaultBranch),
                "run_id", PromptTemplate.Value.trusted(runId.toString()),
                "issue.number", PromptTemplate.Value.trusted(Integer.toString(issue.number())),
                "issue.title", PromptTemplate.Value.untrusted(issue.title()),
                "issue.body", PromptTemplate.Value.untrusted(issue.body() == null ? "" : issue.body()),
                "test_command", PromptTemplate.Value.trusted(testCommand == null ? "the repository's test command" : testCommand)));
    }

    public static String fixForward(RepoSlug repo, String defaultBranch, RunId runId, int issue, String sha,
            int attempt, int maxAttempts, List<Check> failing, String diagnosis) {
        String checks = failing.isEmpty() ? "(CI gave no details)"
                : failing.stream().map(Prompts::failingCheck).collect(Collectors.joining("\n"));
        return FIX_FORWARD.render(Map.of(
                "repo", PromptTemplate.Value.trusted(repo.toString()),
                "default_branch", PromptTemplate.Value.trusted(defaultBranch),
                "run_id", PromptTemplate.Value.trusted(runId.toString()),
                "issue.number", PromptTemplate.Value.trusted(Integer.toString(issue)),
                "sha", PromptTemplate.Value.trusted(sha),
                "attempt", PromptTemplate.Value.trusted(Integer.toString(attempt)),
                "max_attempts", PromptTemplate.Value.trusted(Integer.toString(maxAttempts)),
                "failing_checks", PromptTemplate.Value.untrusted(checks),
                "diagnosis", PromptTemplate.Value.untrusted(diagnosis == null
                        ? "(none: no diagnosis was available; read the logs yourself)" : diagnosis)));
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
