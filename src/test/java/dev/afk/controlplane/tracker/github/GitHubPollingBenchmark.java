package dev.afk.controlplane.tracker.github;

import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.fakes.github.FakeGitHub;
import dev.afk.controlplane.fakes.github.FakeGitHubResource;
import dev.afk.controlplane.fakes.github.FakeRepo;
import dev.afk.controlplane.tracker.Issue;
import io.quarkus.test.junit.QuarkusTest;
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
 * Rate-limit cost of idle polling: 50 repositories × 20 ready issues, 30 ticks in which nothing
 * changes. Our adapter evaluates the whole dispatch predicate each tick (ready list, last labeler,
 * their permission, blockers); the reference design lists the issues and reads each timeline
 * without conditional requests. Both run against the same fake in the same run; the fake counts
 * the requests that cost rate limit. Not part of the test suite (run bench/github-polling/run.sh).
 */
@QuarkusTest
class GitHubPollingBenchmark {

    private static final int REPOS = 50;
    private static final int READY_PER_REPO = 20;
    private static final int TICKS = 30;
    private static final String READY = "ready-for-agent";

    @Inject
    GitHubIssueTracker tracker;

    @Inject
    Vertx vertx;

    private final FakeGitHub github = FakeGitHubResource.fake();

    @Test
    void idlePolling() throws IOException {
        github.rateLimit(1_000_000);
        List<FakeRepo> repos = new ArrayList<>();
        for (int r = 0; r < REPOS; r++) {
            FakeRepo repo = github.repo("bench/repo-" + r).collaborator("wendy", "write").collaborator("mo", "maintain");
            repo.commit(repo.defaultBranch, "Initial commit"); // and no .afk/workflow.md: the default case
            for (int i = 1; i <= READY_PER_REPO; i++) {
                // One issue in ten names a blocker, as real backlogs do.
                int number = repo.createIssue("task " + i, i % 10 == 0 ? "Blocked by #1" : "Plain task.");
                repo.label(number, READY, i % 2 == 0 ? "wendy" : "mo");
            }
            repos.add(repo);
        }

        Counts ours = measure(repos, () -> tick(repos, this::evaluateLikeThePipeline));
        Counts reference = measure(repos, () -> tick(repos, this::referenceDesign));

        String report = """
                # GitHub polling benchmark (%d repos × %d ready issues, %d idle ticks)

                | design | requests that cost rate limit | all requests (incl. free 304s) | 304s |
                |---|---:|---:|---:|
                | reference (list + timeline per ready issue, no ETags) | %d | %d | %d |
                | afk-control-plane adapter (full dispatch predicate, conditional) | %d | %d | %d |

                Ratio (reference ÷ ours, rate-limited requests): **%.1f×**

                Ours, HTTP requests per repository per tick (304s included): %.1f
                """.formatted(REPOS, READY_PER_REPO, TICKS,
                reference.charged(), reference.total(), reference.notModified(),
                ours.charged(), ours.total(), ours.notModified(),
                (double) reference.charged() / Math.max(1, ours.charged()),
                (double) ours.total() / (REPOS * TICKS));
        Path out = Path.of("target", "bench", "github-polling.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println(report);
    }

    private record Counts(long charged, long total, long notModified) {}

    private Counts measure(List<FakeRepo> repos, Runnable ticks) {
        List<FakeGitHub.Call> before = github.calls();
        ticks.run();
        List<FakeGitHub.Call> during = github.calls().subList(before.size(), github.calls().size()).stream()
                .filter(call -> call.repo() != null && call.repo().startsWith("bench/")).toList();
        return new Counts(during.stream().filter(FakeGitHub.Call::charged).count(), during.size(),
                during.stream().filter(call -> call.status() == 304).count());
    }

    private void tick(List<FakeRepo> repos, java.util.function.Function<RepoSlug, Uni<Void>> pollRepo) {
        for (int tick = 0; tick < TICKS; tick++) {
            Multi.createFrom().iterable(repos)
                    .onItem().transformToUni(repo -> pollRepo.apply(RepoSlug.parse(repo.fullName()))).merge(8)
                    .collect().last().await().atMost(Duration.ofMinutes(5));
        }
    }

    /**
     * What the dispatcher asks each tick: the workflow file, ready issues, who released each, may
     * they, is it blocked.
     */
    private Uni<Void> evaluateLikeThePipeline(RepoSlug repo) {
        return tracker.fileOnDefaultBranch(repo, ".afk/workflow.md")
                .flatMap(workflow -> tracker.openIssuesWithLabel(repo, READY))
                .flatMap(issues -> Multi.createFrom().iterable(issues)
                        .onItem().transformToUniAndConcatenate(issue -> predicate(repo, issue))
                        .collect().last())
                .replaceWithVoid();
    }

    private Uni<Boolean> predicate(RepoSlug repo, Issue issue) {
        return tracker.lastLabeled(repo, issue.number(), READY)
                .flatMap(event -> event.isEmpty() ? Uni.createFrom().item(false)
                        : tracker.permission(repo, event.get().actor()).map(permission -> permission.mayRelease()))
                .flatMap(trusted -> tracker.blockers(repo, issue).map(blockers -> trusted && blockers.stream().noneMatch(b -> b.open())));
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
