package dev.afk.controlplane.fakes.github;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The fake's building blocks: minimal samples of the contract's schemas are valid against it. */
class GitHubContractsTests {

    @Test
    void samplesOfEveryWebhookAreValid() {
        GitHubContracts contracts = GitHubContracts.webhooks();
        for (String webhook : contracts.webhookNames()) {
            JsonObject sample = contracts.sample("#/x-webhooks/" + webhook + "/post/requestBody/content/application~1json/schema");
            assertThat(contracts.webhookViolations(webhook, sample.encode())).as(webhook).isEmpty();
        }
    }

    @Test
    void samplesOfRestSchemasAreValid() {
        GitHubContracts contracts = GitHubContracts.rest();
        for (String schema : new String[] {"issue", "label", "issue-comment", "repository-collaborator-permission", "commit",
                "check-run", "combined-commit-status", "workflow-run", "rate-limit-overview", "labeled-issue-event",
                "blocked-by-added-issue-event", "simple-user", "basic-error", "pull-request", "pull-request-simple",
                "pull-request-merge-result"}) {
            String pointer = "#/components/schemas/" + schema;
            assertThat(contracts.violations(pointer, contracts.sample(pointer).encode())).as(schema).isEmpty();
        }
    }

    @Test
    void theIssueEventsFeedHasAContractOfItsOwnOnTheSubsetsSchemas() {
        GitHubContracts contracts = GitHubContracts.issueEvents();
        String pointer = "#/components/schemas/issue-event";
        assertThat(contracts.violations(pointer, contracts.sample(pointer).encode())).isEmpty();
        assertThat(contracts.violations(pointer, contracts.sample(pointer).put("issue", "seven").encode())).isNotEmpty();
        assertThat(GitHubContracts.describing("GET", "/repos/{owner}/{repo}/issues/events", 200)).isSameAs(contracts);
        assertThat(GitHubContracts.describing("GET", "/repos/{owner}/{repo}/issues", 200)).isSameAs(GitHubContracts.rest());
    }

    @Test
    void aWrongBodyIsCaught() {
        GitHubContracts contracts = GitHubContracts.rest();
        JsonObject issue = contracts.sampleOfSchema("issue").put("number", "seven");
        assertThat(contracts.violations("#/components/schemas/issue", issue.encode())).isNotEmpty();
        assertThat(contracts.violations(contracts.responsePointer("GET", "/repos/{owner}/{repo}/issues", 200).orElseThrow(), "{}"))
                .isNotEmpty();
    }
}
