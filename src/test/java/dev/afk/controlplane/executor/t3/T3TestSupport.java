package dev.afk.controlplane.executor.t3;

import static io.restassured.RestAssured.given;

import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.executor.Executor.StartWork;
import dev.afk.controlplane.fakes.t3.FakeT3Resource;
import dev.afk.controlplane.fakes.t3.FakeT3Server;
import dev.afk.controlplane.support.Tokens;
import io.restassured.http.ContentType;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.UUID;

/** Shared set-up of the adapter tests: a fresh fake, the admin token on file, a closed breaker, the kill switch released. */
final class T3TestSupport {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final RepoSlug REPO = new RepoSlug("acme", "widgets");

    private T3TestSupport() {}

    static FakeT3Server fresh(String version, T3Reader reader, CircuitBreakerMaintenance breakers) {
        // A fresh install starts with the kill switch engaged, and it guards every executor command.
        given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"engaged\": false, \"reason\": \"executor adapter tests\"}")
                .put("/api/afk/kill-switch").then().statusCode(200);
        FakeT3Server t3 = FakeT3Resource.server().reset().version(version);
        FakeT3Resource.writeToken(t3.adminToken());
        reader.forgetPath();
        breakers.resetAll();
        return t3;
    }

    static <T> T await(Uni<T> uni) {
        return uni.await().atMost(WAIT);
    }

    static String id(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    /** A run's work with fresh ids, in a worktree of its own. */
    static StartWork work(String projectId) {
        String threadId = UUID.randomUUID().toString();
        return new StartWork(projectId, threadId, id("create"), id("turn"), id("msg"), "AFK run " + threadId,
                "claude-sonnet-4-6", "afk/run-" + threadId, "/data/repos/acme/widgets/wt-" + threadId,
                "Implement issue #7.\nAFK-Run: " + threadId);
    }
}
