package dev.afk.controlplane.tracker.github;

import static io.restassured.RestAssured.given;

import dev.afk.controlplane.afk.dispatch.Poller;
import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.e2e.EndToEndProfile;
import dev.afk.controlplane.fakes.CiDoorbellFakes;
import dev.afk.controlplane.fakes.github.FakeGitHub;
import dev.afk.controlplane.fakes.github.FakeGitHubResource;
import dev.afk.controlplane.fakes.github.FakeRepo;
import dev.afk.controlplane.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Rate-limit cost of idle polling: 50 repositories × 20 ready issues, 30 poll ticks in which nothing
 * changes. Ours is the real poller ({@code Poller.tick()}, the real GitHub adapter, the whole
 * dispatch predicate); every ready issue waits on one open design issue, so nothing dispatches and
 * every tick judges every issue. The reference design lists the issues and reads each timeline
 * without conditional requests. Both run against the same fake in the same run; the fake counts
 * the requests that cost rate limit. Not part of the test suite (run bench/github-polling/run.sh).
 */
@QuarkusTest
@TestProfile(EndToEndProfile.class)
class GitHubPollingBenchmark {

    private static final int REPOS = 50;
    private static final int READY_PER_REPO = 20;
    private static final int TICKS = 30;
    private static final String READY = "ready-for-agent";

    @Inject
    Poller poller;

    @Inject
    Vertx vertx;

    private final FakeGitHub github = FakeGitHubResource.fake();

    @Test
    void idlePolling() throws IOException, InterruptedException {
        github.rateLimit(1_000_000);
        given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"engaged\": false, \"reason\": \"bench\"}").put("/api/afk/kill-switch").then().statusCode(200);
        List<FakeRepo> repos = new ArrayList<>();
        for (int r = 0; r < REPOS; r++) {
            FakeRepo repo = github.repo("bench/repo-" + r).collaborator("wendy", "write").collaborator("mo", "maintain");
            repo.commit(repo.defaultBranch, "Initial commit"); // and no .afk/workflow.md: the default case
            int design = repo.createIssue("Design the storage", "Not ready yet.");
            for (int i = 1; i <= READY_PER_REPO; i++) {
                int number = repo.createIssue("task " + i, "Blocked by #" + design);
                repo.label(number, READY, i % 2 == 0 ? "wendy" : "mo");
            }
            CiDoorbellFakes.woodpecker().addRepo(repo.fullName(), "main");
            given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON)
                    .body("""
                            {"repo": "%s", "defaultBranch": "main", "cloneUrl": "https://git.example/%s.git",
                             "ciStages": ["WOODPECKER"]}""".formatted(repo.fullName(), repo.fullName()))
                    .post("/api/afk/repos").then().statusCode(201);
            repos.add(repo);
        }
        // GitHub stamps updates to the second; a poll within the second of the last label re-reads once more.
        Thread.sleep(1_100);

        Counts ours = measure(() -> {
            List<?> queued = await(poller.tick());
            if (!queued.isEmpty()) {
                throw new AssertionError("the bench is idle, yet the poller queued " + queued);
            }
        });
        Counts reference = measure(() -> Multi.createFrom().iterable(repos)
                .onItem().transformToUni(repo -> referenceDesign(RepoSlug.parse(repo.fullName()))).merge(8)
                .collect().last().await().atMost(Duration.ofMinutes(5)));

        String report = """
                # GitHub polling benchmark (%d repos × %d ready issues, %d idle ticks)

                | design | requests that cost rate limit | all requests (incl. free 304s) | 304s |
                |---|---:|---:|---:|
                | reference (list + timeline per ready issue, no ETags) | %d | %d | %d |
                | afk-control-plane poller (whole dispatch predicate, conditional) | %d | %d | %d |

                Ratio (reference ÷ ours, rate-limited requests): **%.1f×**

                Ours, HTTP requests per repository per tick (304s included): %.2f over all %d ticks, %.2f per idle tick after the first

                Ours, rate-limited requests on the first tick: %d (%s); on the %d ticks after it: %d
                """.formatted(REPOS, READY_PER_REPO, TICKS,
                reference.charged(), reference.total(), reference.notModified(),
                ours.charged(), ours.total(), ours.notModified(),
                (double) reference.charged() / Math.max(1, ours.charged()),
                (double) ours.total() / (REPOS * TICKS), TICKS, (double) ours.afterFirst() / (REPOS * (TICKS - 1)),
                ours.chargedFirst(), ours.chargedFirstByOperation(), TICKS - 1, ours.charged() - ours.chargedFirst());
        Path out = Path.of("target", "bench", "github-polling.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println(report);
    }

    /** Requests for the bench's repositories: over all ticks, and on the first tick alone. */
    private record Counts(long charged, long total, long notModified, long chargedFirst, long totalFirst, String chargedFirstByOperation) {

        long afterFirst() {
            return total - totalFirst;
        }
    }

    private Counts measure(Runnable tick) {
        int before = github.calls().size();
        tick.run();
        List<FakeGitHub.Call> first = benchCalls(before);
        for (int i = 1; i < TICKS; i++) {
            tick.run();
        }
        List<FakeGitHub.Call> all = benchCalls(before);
        return new Counts(all.stream().filter(FakeGitHub.Call::charged).count(), all.size(),
                all.stream().filter(call -> call.status() == 304).count(),
                first.stream().filter(FakeGitHub.Call::charged).count(), first.size(),
                first.stream().filter(FakeGitHub.Call::charged)
                        .collect(java.util.stream.Collectors.groupingBy(call -> call.method() + " " + call.template(),
                                java.util.TreeMap::new, java.util.stream.Collectors.counting()))
                        .entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                        .collect(java.util.stream.Collectors.joining(", ")));
    }

    private List<FakeGitHub.Call> benchCalls(int from) {
        List<FakeGitHub.Call> calls = github.calls();
        return calls.subList(from, calls.size()).stream()
                .filter(call -> call.repo() != null && call.repo().startsWith("bench/")).toList();
    }

    private static <T> T await(Uni<T> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> work);
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    /** The reference loop: plain GETs, no validators, so every one of them is charged. */
    private Uni<Void> referenceDesign(RepoSlug repo) {
        WebClient client = referenceClient();
        String base = github.apiUrl() + "/repos/" + repo;
        return client.getAbs(base + "/issues?state=open&labels=" + READY + "&per_page=100")
                .putHeader("Authorization", "Bearer " + FakeGitHubResource.TOKEN).send()
                .flatMap(list -> Multi.createFrom().iterable(new JsonArray(list.bodyAsString()))
                        .onItem().transformToUniAndConcatenate(item -> client.getAbs(base + "/issues/"
                                        + ((io.vertx.core.json.JsonObject) item).getInteger("number") + "/timeline?per_page=100")
                                .putHeader("Authorization", "Bearer " + FakeGitHubResource.TOKEN).send())
                        .collect().last())
                .replaceWithVoid();
    }

    private WebClient reference;

    private synchronized WebClient referenceClient() {
        if (reference == null) {
            reference = WebClient.create(vertx);
        }
        return reference;
    }
}
