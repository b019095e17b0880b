package dev.afk.controlplane.ci.rollout;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsStringIgnoringCase;

import dev.afk.controlplane.ci.CiUnavailableException;
import dev.afk.controlplane.ci.CiVerdicts.Deployment;
import dev.afk.controlplane.ci.CiVerdicts.Stage;
import dev.afk.controlplane.ci.CiVerdicts.Target;
import dev.afk.controlplane.common.RepoSlug;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** No cluster here: the service is ready all the same, and only a rollout stage notices. */
@QuarkusTest
class WithoutClusterTests {

    @Inject
    RolloutJudge judge;

    @Test
    void noClusterIsNoReadinessFailure() {
        int port = ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
        given().get("http://localhost:" + port + "/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", everyItem(not(containsStringIgnoringCase("kubernetes"))));
    }

    @Test
    void aRolloutStageWithoutAClusterCannotBeJudgedRatherThanPendingForever() {
        Target target = new Target(RepoSlug.parse("acme/web"), "c0ffee00d15ea5e0123456789abcdef012345678", "main",
                List.of(Stage.ROLLOUT), List.of(), List.of(new Deployment("prod", "web")), null);
        assertThatThrownBy(() -> judge.judge(target).await().atMost(Duration.ofSeconds(30)))
                .isInstanceOf(CiUnavailableException.class);
    }
}
