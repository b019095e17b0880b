package dev.afk.controlplane.ci.githubactions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.afk.controlplane.ci.CiUnavailableException;
import dev.afk.controlplane.ci.CiVerdicts.Stage;
import dev.afk.controlplane.ci.githubactions.GitHubChecks.CheckRun;
import dev.afk.controlplane.ci.githubactions.GitHubChecks.CheckRunPage;
import dev.afk.controlplane.ci.githubactions.GitHubChecks.CombinedStatus;
import dev.afk.controlplane.ci.githubactions.GitHubChecks.CommitStatus;
import dev.afk.controlplane.ci.githubactions.GitHubChecks.WorkflowRun;
import dev.afk.controlplane.ci.githubactions.GitHubChecks.WorkflowRunPage;
import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.github.Endpoint;
import dev.afk.controlplane.github.GitHubConnection;
import dev.afk.controlplane.github.GitHubHttp;
import dev.afk.controlplane.github.GitHubRateLimited;
import dev.afk.controlplane.github.GitHubResponse;
import dev.afk.controlplane.github.GitHubUnavailable;
import dev.afk.controlplane.github.RateBudget;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The three GitHub lists the Actions stage reads, through the connection the tracker uses (one
 * token, one budget, one conditional-request cache): every page followed, a 304 free. The stage
 * never waits for a rate limit, it tells the caller when to ask again; and it leaves the last
 * {@code rate-limit-reserve} requests of the window to the tracker.
 */
@ApplicationScoped
class GitHubChecksClient {

    private static final String PAGE_SIZE = "100";

    private final GitHubConnection connection;
    private final GitHubActionsConfig config;
    private final ObjectMapper json;
    private final Clock clock;

    GitHubChecksClient(GitHubConnection connection, GitHubActionsConfig config, ObjectMapper json, Clock clock) {
        this.connection = connection;
        this.config = config;
        this.json = json;
        this.clock = clock;
    }

    Uni<List<CheckRun>> checkRuns(RepoSlug repo, String sha) {
        return list(Endpoint.of("/repos/{owner}/{repo}/commits/{ref}/check-runs", repo.owner(), repo.name(), sha)
                .withQuery("filter", "latest"), CheckRunPage.class, CheckRunPage::checkRuns);
    }

    Uni<List<CommitStatus>> statuses(RepoSlug repo, String sha) {
        return list(Endpoint.of("/repos/{owner}/{repo}/commits/{ref}/status", repo.owner(), repo.name(), sha),
                CombinedStatus.class, CombinedStatus::statuses);
    }

    Uni<List<WorkflowRun>> workflowRuns(RepoSlug repo, String sha) {
        return list(Endpoint.of("/repos/{owner}/{repo}/actions/runs", repo.owner(), repo.name()).withQuery("head_sha", sha),
                WorkflowRunPage.class, WorkflowRunPage::workflowRuns);
    }

    private <P, T> Uni<List<T>> list(Endpoint endpoint, Class<P> pageType, Function<P, List<T>> items) {
        return Uni.createFrom().deferred(() -> {
                    GitHubHttp http = connection.http().withMaxWait(Duration.ZERO);
                    keepReserve(http.budget());
                    return http.getAllPages(endpoint.withQuery("per_page", PAGE_SIZE), config.maxPages());
                })
                .onFailure(GitHubUnavailable.class).transform(GitHubChecksClient::unavailable)
                .map(pages -> {
                    List<T> all = new ArrayList<>();
                    for (GitHubResponse page : pages) {
                        if (!page.ok()) {
                            throw new CiUnavailableException(Stage.GITHUB_ACTIONS, "GitHub answered HTTP " + page.status());
                        }
                        all.addAll(Optional.ofNullable(items.apply(read(page.body(), pageType))).orElse(List.of()));
                    }
                    return all;
                });
    }

    /** Below the reserve, no request until the window resets: the rest of the budget is the tracker's. */
    private void keepReserve(RateBudget budget) {
        long remaining = budget.remaining();
        Duration untilReset = Duration.between(clock.instant(), budget.reset());
        if (remaining >= 0 && remaining <= config.rateLimitReserve() && untilReset.isPositive()) {
            throw new CiUnavailableException(Stage.GITHUB_ACTIONS,
                    "holding back to leave the rest of the GitHub rate limit to the tracker", untilReset);
        }
    }

    private static CiUnavailableException unavailable(Throwable failure) {
        if (failure instanceof GitHubRateLimited limited) {
            return new CiUnavailableException(Stage.GITHUB_ACTIONS, "holding back to respect the GitHub rate limit", limited.retryAfter());
        }
        return new CiUnavailableException(Stage.GITHUB_ACTIONS, failure.getMessage());
    }

    private <P> P read(String body, Class<P> type) {
        try {
            return json.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw new CiUnavailableException(Stage.GITHUB_ACTIONS, "GitHub answered a body we cannot read as " + type.getSimpleName());
        }
    }
}
