package dev.afk.controlplane.tracker.github;

import static dev.afk.controlplane.tracker.github.GitHubIssueTrackerTests.await;
import static dev.afk.controlplane.tracker.github.GitHubIssueTrackerTests.slug;
import static org.assertj.core.api.Assertions.assertThat;

import dev.afk.controlplane.fakes.github.FakeGitHub;
import dev.afk.controlplane.fakes.github.FakeGitHubResource;
import dev.afk.controlplane.fakes.github.FakeRepo;
import dev.afk.controlplane.fakes.github.GitHubContracts;
import dev.afk.controlplane.github.Endpoint;
import dev.afk.controlplane.github.GitHubConnection;
import dev.afk.controlplane.github.GitHubResponse;
import dev.afk.controlplane.tracker.Blocker;
import dev.afk.controlplane.tracker.Issue;
import dev.afk.controlplane.tracker.LabelEvent;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The repository's issue-events feed answers the labelling and closing of the ready issues of a listing (ADR 0017). */
@QuarkusTest
class GitHubIssueEventsFeedTests {

    private static final String READY = "ready-for-agent";
    private static final String FEED = "/repos/{owner}/{repo}/issues/events";
    private static final String TIMELINE = "/repos/{owner}/{repo}/issues/{issue_number}/timeline";

    @Inject
    GitHubIssueTracker tracker;

    @Inject
    GitHubConnection connection;

    private final FakeGitHub github = FakeGitHubResource.fake();

    @AfterEach
    void everyAnswerFollowedItsContract() {
        assertThat(github.contractViolations()).isEmpty();
        assertThat(github.undocumentedAnswers()).noneMatch(answer -> answer.startsWith("GET " + FEED + " 200"));
    }

    @Test
    void oneReadOfTheFeedAnswersEveryReadyIssueOfTheListingAndIsKeptWhileTheyAreUnchanged() throws InterruptedException {
        FakeRepo repo = github.repo("acme/feed-one-read").collaborator("wendy", "write");
        int plain = repo.createIssue("plain", "");
        int reopened = repo.createIssue("reopened", "");
        int unready = repo.createIssue("not ready", "");
        repo.label(plain, READY, "wendy").close(reopened, "wendy").reopen(reopened, "wendy").label(reopened, READY, "wendy");
        repo.label(unready, "design", "wendy");
        Thread.sleep(1_100); // GitHub stamps to the second: facts read in their issue's last second are not kept

        await(tracker.openIssuesWithLabel(slug(repo), READY));
        assertThat(await(tracker.lastLabeled(slug(repo), plain, READY))).map(LabelEvent::actor).contains("wendy");
        assertThat(await(tracker.lastClosed(slug(repo), plain))).isEmpty();
        assertThat(await(tracker.lastLabeled(slug(repo), reopened, READY))).map(LabelEvent::at)
                .contains(repo.issue(reopened).timeline.getLast().at());
        assertThat(await(tracker.lastClosed(slug(repo), reopened))).contains(repo.issue(reopened).timeline.getFirst().at());
        assertThat(calls(repo, FEED)).as("one feed read for the listing").hasSize(1);
        assertThat(calls(repo, TIMELINE)).as("no timeline").isEmpty();

        int before = github.callsTo(repo.fullName()).size();
        await(tracker.openIssuesWithLabel(slug(repo), READY));
        await(tracker.lastLabeled(slug(repo), plain, READY));
        await(tracker.lastClosed(slug(repo), reopened));
        assertThat(github.callsTo(repo.fullName())).as("the listing alone").hasSize(before + 1);

        repo.close(plain, "wendy").reopen(plain, "wendy");
        await(tracker.openIssuesWithLabel(slug(repo), READY));
        assertThat(await(tracker.lastClosed(slug(repo), plain))).as("a moved stamp reads the feed again")
                .contains(repo.issue(plain).timeline.get(1).at());
        assertThat(calls(repo, FEED)).hasSize(2);
        assertThat(calls(repo, TIMELINE)).isEmpty();
    }

    @Test
    void theLastLabellingInTheFeedDecidesThoughAnOlderOneWasByAWriter() {
        FakeRepo repo = github.repo("acme/feed-untrusted-last").collaborator("wendy", "write").collaborator("tris", "triage");
        int issue = repo.createIssue("contested", "");
        repo.label(issue, READY, "wendy").unlabel(issue, READY, "tris").label(issue, READY, "tris");

        await(tracker.openIssuesWithLabel(slug(repo), READY));
        assertThat(await(tracker.lastLabeled(slug(repo), issue, READY))).map(LabelEvent::actor).contains("tris");
        assertThat(calls(repo, FEED)).hasSize(1);
        assertThat(calls(repo, TIMELINE)).isEmpty();
    }

    @Test
    void anIssueLabelledBeforeThePagesReadIsAnsweredByItsTimeline() throws InterruptedException {
        FakeRepo repo = github.repo("acme/feed-too-deep").collaborator("wendy", "write");
        int old = repo.createIssue("labelled long ago", "");
        int busy = repo.createIssue("busy", "");
        repo.label(old, READY, "wendy");
        for (int i = 0; i < GitHubIssueTracker.FEED_PAGES * 50 + 1; i++) {
            repo.label(busy, "triaged", "wendy").unlabel(busy, "triaged", "wendy");
        }
        Thread.sleep(1_100);

        await(tracker.openIssuesWithLabel(slug(repo), READY));
        assertThat(await(tracker.lastLabeled(slug(repo), old, READY))).map(LabelEvent::actor).contains("wendy");
        assertThat(await(tracker.lastClosed(slug(repo), old))).isEmpty();
        assertThat(calls(repo, FEED)).as("the page bound").hasSize(GitHubIssueTracker.FEED_PAGES);
        assertThat(calls(repo, TIMELINE)).as("the fallback, kept for the close").hasSize(1);
        assertThat(calls(repo, TIMELINE).getFirst().path()).endsWith("/issues/" + old + "/timeline");
    }

    @Test
    void dependenciesAreReadFromTheTimelineOnlyWhenTheListingCountsSome() {
        FakeRepo repo = github.repo("acme/feed-dependencies").collaborator("wendy", "write");
        int blocker = repo.createIssue("blocker", "");
        int free = repo.createIssue("free", "");
        int blocked = repo.createIssue("blocked", "");
        repo.label(free, READY, "wendy").label(blocked, READY, "wendy").blockedBy(blocked, repo.fullName(), blocker, "wendy");

        List<Issue> ready = await(tracker.openIssuesWithLabel(slug(repo), READY));
        Issue freeIssue = ready.stream().filter(i -> i.number() == free).findFirst().orElseThrow();
        Issue blockedIssue = ready.stream().filter(i -> i.number() == blocked).findFirst().orElseThrow();
        assertThat(await(tracker.blockers(slug(repo), freeIssue))).isEmpty();
        assertThat(calls(repo, TIMELINE)).isEmpty();
        assertThat(await(tracker.blockers(slug(repo), blockedIssue))).containsExactly(new Blocker(slug(repo), blocker, true));
        assertThat(calls(repo, TIMELINE)).hasSize(1);
    }

    @Test
    void theFakeServesTheFeedNewestFirstPagedAndConditionalAsItsContractSays() {
        FakeRepo repo = github.repo("acme/feed-contract").collaborator("wendy", "write");
        int issue = repo.createIssue("task", "");
        for (int i = 0; i < 3; i++) {
            repo.label(issue, "step-" + i, "wendy");
        }
        repo.close(issue, "wendy");
        Endpoint feed = Endpoint.of(FEED, "acme", "feed-contract").withQuery("per_page", "2");

        List<GitHubResponse> pages = await(connection.http().getAllPages(feed));
        List<GitHubResponse> again = await(connection.http().getAllPages(feed));

        assertThat(pages).hasSize(2);
        JsonArray first = new JsonArray(pages.getFirst().body());
        assertThat(first.getJsonObject(0).getString("event")).isEqualTo("closed");
        assertThat(first.getJsonObject(0).getJsonObject("issue").getInteger("number")).isEqualTo(issue);
        assertThat(first.getJsonObject(1).getJsonObject("label").getString("name")).isEqualTo("step-2");
        assertThat(new JsonArray(pages.getLast().body()).getJsonObject(1).getJsonObject("actor").getString("login")).isEqualTo("wendy");
        assertThat(again).allMatch(GitHubResponse::fromCache);
        assertThat(calls(repo, FEED)).map(FakeGitHub.Call::status).containsExactly(200, 200, 304, 304);

        GitHubContracts contract = GitHubContracts.issueEvents();
        String pointer = contract.responsePointer("GET", FEED, 200).orElseThrow();
        JsonObject withoutTime = first.getJsonObject(0).copy();
        withoutTime.remove("created_at");
        assertThat(contract.violations(pointer, new JsonArray().add(withoutTime).encode())).as("a wrong body is caught").isNotEmpty();
        assertThat(contract.violations(pointer, first.encode())).isEmpty();
    }

    private List<FakeGitHub.Call> calls(FakeRepo repo, String template) {
        return github.callsTo(repo.fullName()).stream().filter(call -> call.template().equals(template)).toList();
    }
}
