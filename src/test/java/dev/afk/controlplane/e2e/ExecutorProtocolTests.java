package dev.afk.controlplane.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.afk.controlplane.fakes.t3.FakeT3Resource;
import dev.afk.controlplane.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A T3 of a version nobody verified gets no new work: its health check says why, the dry run too, nothing dispatches. */
@QuarkusTest
@TestProfile(EndToEndProfile.class)
class ExecutorProtocolTests extends EndToEndScenario {

    @AfterEach
    void verifiedAgain() {
        FakeT3Resource.server().version("0.0.32");
        dependencies();
    }

    @Test
    void anUnverifiedT3PausesDispatchUntilAVerifiedOneIsBack() {
        Fixture repo = enroll("pinned");
        int issue = readyIssue(repo, "alice");
        int commandsBefore = FakeT3Resource.server().dispatched().size();

        FakeT3Resource.server().version("0.0.40");
        JsonPath health = dependencies();
        assertThat(health.getString("checks.find { it.name == 'T3 Code executor' }.status")).isEqualTo("DOWN");
        assertThat(health.getString("checks.find { it.name == 'T3 Code executor' }.data.problem"))
                .contains("T3 0.0.40", "not verified", "dispatch is paused");

        tick();
        tick();
        assertThat(runs(repo)).isEmpty();
        assertThat(FakeT3Resource.server().dispatched()).hasSize(commandsBefore);
        JsonPath dryRun = given().header("Authorization", Tokens.viewer()).get("/api/afk/dispatch/dry-run")
                .then().statusCode(200).extract().jsonPath();
        String candidate = "find { it.repo == '" + repo.slug() + "' }.candidates[0]";
        assertThat(dryRun.getString(candidate + ".reason")).isEqualTo("EXECUTOR_HELD");
        assertThat(dryRun.getString(candidate + ".detail")).contains("0.0.40");

        FakeT3Resource.server().version("0.0.32");
        assertThat(dependencies().getString("checks.find { it.name == 'T3 Code executor' }.status")).isEqualTo("UP");
        tick();
        assertThat(runs(repo)).singleElement().satisfies(run -> assertThat(run.get("issue")).isEqualTo(issue));
    }

    /** The dependencies health group; each call reads T3's version again. */
    private static JsonPath dependencies() {
        int port = ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
        return given().get("http://localhost:" + port + "/q/health/group/dependencies").then().extract().jsonPath();
    }
}
