package dev.afk.controlplane.afk.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.github.GitHubUnavailable;
import dev.afk.controlplane.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A repository that cannot be polled (no GitHub access configured, say) is reported once, as one
 * line that says what to set, and shown on the repository and in the dry run: never a stack trace
 * per tick.
 */
@QuarkusTest
class PollProblemTests extends PipelineScenario {

    private static final String NOT_CONFIGURED = "GitHub access is not configured: set afk.github.token-file (AFK_GITHUB_TOKEN_FILE)";
    private static final String CATEGORY = "dev.afk.controlplane.afk.dispatch";

    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLogs() {
        Logger.getLogger(CATEGORY).addHandler(capture);
    }

    @AfterEach
    void releaseLogs() {
        Logger.getLogger(CATEGORY).removeHandler(capture);
    }

    private List<String> linesAbout(RepoSlug repo, Level level) {
        return logged.stream().filter(r -> r.getLevel().equals(level))
                .map(r -> ((ExtLogRecord) r).getFormattedMessage() + (r.getThrown() == null ? "" : " [stack trace]"))
                .filter(line -> line.startsWith("polling " + repo + " ")).toList();
    }

    @Test
    void aConfigurationProblemIsOneLineOnceAndShownWhereOperatorsLook() {
        RepoSlug repo = enroll("no-github");
        readyIssue(repo, 1);
        tracker.failing(repo, new GitHubUnavailable(0, NOT_CONFIGURED));

        ticks(3);

        assertThat(linesAbout(repo, Level.WARNING)).singleElement().satisfies(line -> assertThat(line)
                .contains(NOT_CONFIGURED).doesNotContain("[stack trace]").doesNotContain("\n"));
        JsonPath view = repoView(repo);
        assertThat(view.getString("pollProblem.detail")).isEqualTo(NOT_CONFIGURED);
        assertThat(view.getString("pollProblem.since")).isNotBlank();
        assertThat(JsonPath.from(io.restassured.RestAssured.given().header("Authorization", Tokens.viewer())
                        .get("/api/afk/dispatch/dry-run").then().statusCode(200).extract().asString())
                .getString("find { it.repo == '" + repo + "' }.unavailable")).isEqualTo(NOT_CONFIGURED);

        tracker.failing(repo, null);
        tick();
        assertThat(repoView(repo).getString("pollProblem")).isNull();
        assertThat(linesAbout(repo, Level.INFO)).singleElement().asString().contains("works again");
        assertThat(runs(repo)).hasSize(1);
    }

    @Test
    void anUnexpectedFailureKeepsItsStackTraceButOnlyOnce() {
        RepoSlug repo = enroll("poll-bug");
        tracker.unreachable(repo, true);

        ticks(3);

        assertThat(linesAbout(repo, Level.WARNING)).singleElement().asString().contains("[stack trace]");
        assertThat(repoView(repo).getString("pollProblem.detail")).startsWith("unexpected failure: ")
                .contains("tracker unreachable");
        tracker.unreachable(repo, false);
    }
}
