package dev.afk.controlplane.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pure parts of the shared GitHub plumbing: endpoints, rate-limit policy, budget, pagination. */
class GitHubPlumbingTests {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void endpointsEncodeEachParameterAsOneSegment() {
        assertThat(Endpoint.of("/repos/{owner}/{repo}/issues/{n}/labels/{name}", "acme", "app", "7", "priority: 1/x").relativeUri())
                .isEqualTo("/repos/acme/app/issues/7/labels/priority%3A%201%2Fx");
        assertThat(Endpoint.of("/repos/{owner}/{repo}/contents/{+path}", "acme", "app", ".afk/workflow.md").relativeUri())
                .isEqualTo("/repos/acme/app/contents/.afk/workflow.md");
        assertThatThrownBy(() -> Endpoint.of("/repos/{owner}/{repo}/contents/{+path}", "acme", "app", "../secret").relativeUri())
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Endpoint.of("/repos/{owner}/{repo}/issues", "acme", "app").withQuery("state", "open").withQuery("labels", "ready for agent")
                .relativeUri()).isEqualTo("/repos/acme/app/issues?labels=ready+for+agent&state=open");
    }

    @Test
    void retryAfterWins() {
        RateLimitPolicy policy = new RateLimitPolicy(Duration.ofSeconds(60));
        var signals = new RateLimitPolicy.Signals(403, Optional.of(7L), Optional.of(10), Optional.of(NOW.getEpochSecond() + 600), false);
        assertThat(signals.isRateLimited()).isTrue();
        assertThat(policy.waitFor(signals, 3, NOW)).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void aSpentBudgetWaitsUntilItsReset() {
        RateLimitPolicy policy = new RateLimitPolicy(Duration.ofSeconds(60));
        var signals = new RateLimitPolicy.Signals(403, Optional.empty(), Optional.of(0), Optional.of(NOW.getEpochSecond() + 120), false);
        assertThat(policy.waitFor(signals, 0, NOW)).isEqualTo(Duration.ofSeconds(121));
    }

    @Test
    void aSecondaryLimitWithoutHintWaitsAMinuteThenDoubles() {
        RateLimitPolicy policy = new RateLimitPolicy(Duration.ofSeconds(60));
        var signals = new RateLimitPolicy.Signals(429, Optional.empty(), Optional.of(4000), Optional.empty(), false);
        assertThat(policy.waitFor(signals, 0, NOW)).isEqualTo(Duration.ofSeconds(60));
        assertThat(policy.waitFor(signals, 1, NOW)).isEqualTo(Duration.ofSeconds(120));
        assertThat(policy.waitFor(signals, 2, NOW)).isEqualTo(Duration.ofSeconds(240));
    }

    @Test
    void aPlain403IsNotARateLimitButGitHubsMessageMakesItOne() {
        assertThat(new RateLimitPolicy.Signals(403, Optional.empty(), Optional.of(4999), Optional.empty(), false).isRateLimited()).isFalse();
        assertThat(new RateLimitPolicy.Signals(403, Optional.empty(), Optional.of(4999), Optional.empty(), true).isRateLimited()).isTrue();
    }

    @Test
    void budgetHoldsRequestsWhileSpentOrPaused() {
        RateBudget budget = new RateBudget();
        budget.observe(0, 5000, NOW.plusSeconds(30));
        assertThat(budget.holdOff(NOW)).isEqualTo(Duration.ofSeconds(30));
        budget.observe(10, 5000, NOW.plusSeconds(30));
        budget.limited(NOW, Duration.ofSeconds(5));
        assertThat(budget.holdOff(NOW)).isEqualTo(Duration.ofSeconds(5));
        assertThat(budget.holdOff(NOW.plusSeconds(6))).isZero();
    }

    @Test
    void nextPageFromTheLinkHeader() {
        assertThat(GitHubHttp.nextPage("<https://api.github.com/r?page=2>; rel=\"next\", <https://api.github.com/r?page=5>; rel=\"last\""))
                .contains("https://api.github.com/r?page=2");
        assertThat(GitHubHttp.nextPage("<https://api.github.com/r?page=1>; rel=\"prev\"")).isEmpty();
        assertThat(GitHubHttp.nextPage(null)).isEmpty();
    }
}
