package dev.afk.controlplane.tracker.github;

import static org.assertj.core.api.Assertions.assertThat;

import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.fakes.github.FakeGitHub;
import dev.afk.controlplane.fakes.github.FakeGitHubResource;
import dev.afk.controlplane.fakes.github.FakeRepo;
import dev.afk.controlplane.tracker.Blocker;
import dev.afk.controlplane.tracker.Commit;
import dev.afk.controlplane.tracker.Issue;
import dev.afk.controlplane.tracker.LabelEvent;
import dev.afk.controlplane.tracker.Permission;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class GitHubIssueTrackerTests {

    private static final String READY = "ready-for-agent";

    @Inject
    GitHubIssueTracker tracker;

    private final FakeGitHub github = FakeGitHubResource.fake();

    @AfterEach
    void everyAnswerFollowedTheContract() {
        assertThat(github.contractViolations()).isEmpty();
    }

    @Test
    void aSecondIdenticalPollIsA304AndCostsNothing() {
        FakeRepo repo = github.repo("acme/etag-reuse").collaborator("wendy", "write");
        for (int i = 0; i < 3; i++) {
            repo.label(repo.createIssue("task " + i, "body"), READY, "wendy");
        }
        repo.createIssue("not ready", "");

        List<Issue> first = await(tracker.openIssuesWithLabel(slug(repo), READY));
        long chargedAfterFirst = github.chargedCallsTo(repo.fullName());
        List<Issue> second = await(tracker.openIssuesWithLabel(slug(repo), READY));

        assertThat(first).extracting(Issue::title).containsExactlyInAnyOrder("task 0", "task 1", "task 2");
        assertThat(second).isEqualTo(first);
        assertThat(github.chargedCallsTo(repo.fullName())).isEqualTo(chargedAfterFirst);
        assertThat(github.callsTo(repo.fullName()).getLast().status()).isEqualTo(304);
    }

    @Test
    void aChangeIsSeenAtOnceDespiteTheCache() {
        FakeRepo repo = github.repo("acme/etag-change").collaborator("wendy", "write");
        repo.label(repo.createIssue("one", ""), READY, "wendy");
        assertThat(await(tracker.openIssuesWithLabel(slug(repo), READY))).hasSize(1);

        repo.label(repo.createIssue("two", ""), READY, "wendy");

        assertThat(await(tracker.openIssuesWithLabel(slug(repo), READY))).extracting(Issue::title).containsExactlyInAnyOrder("one", "two");
        assertThat(github.callsTo(repo.fullName()).getLast().status()).isEqualTo(200);
    }

    @Test
    void followsLinkPaginationAndEachPageIsConditional() {
        FakeRepo repo = github.repo("acme/many-issues").collaborator("wendy", "write");
        for (int i = 0; i < 230; i++) {
            repo.label(repo.createIssue("task " + i, ""), READY, "wendy");
        }

        List<Issue> issues = await(tracker.openIssuesWithLabel(slug(repo), READY));
        List<FakeGitHub.Call> firstPoll = github.callsTo(repo.fullName());
        await(tracker.openIssuesWithLabel(slug(repo), READY));
        List<FakeGitHub.Call> secondPoll = github.callsTo(repo.fullName()).subList(firstPoll.size(), github.callsTo(repo.fullName()).size());

        assertThat(issues).hasSize(230).extracting(Issue::number).doesNotHaveDuplicates();
        assertThat(firstPoll).hasSize(3).allMatch(call -> call.status() == 200);
        assertThat(secondPoll).hasSize(3).allMatch(call -> call.status() == 304 && !call.charged());
    }

    @Test
    void onlyWritersMaintainersAndAdminsMayRelease() {
        FakeRepo repo = github.repo("acme/trust").collaborator("ada", "admin").collaborator("mo", "maintain")
                .collaborator("wendy", "write").collaborator("tris", "triage").collaborator("reed", "read");
        List<String> people = List.of("ada", "mo", "wendy", "tris", "reed", "stranger");
        for (String person : people) {
            int issue = repo.createIssue("by " + person, "");
            repo.label(issue, READY, person);
            LabelEvent last = await(tracker.lastLabeled(slug(repo), issue, READY)).orElseThrow();
            assertThat(last.actor()).isEqualTo(person);
        }

        assertThat(people).map(person -> await(tracker.permission(slug(repo), person)))
                .containsExactly(Permission.ADMIN, Permission.WRITE, Permission.WRITE, Permission.READ, Permission.READ, Permission.NONE);
        assertThat(people).map(person -> await(tracker.permission(slug(repo), person)).mayRelease())
                .containsExactly(true, true, true, false, false, false);
    }

    @Test
    void theMostRecentLabelerIsTheOneTrusted() {
        FakeRepo repo = github.repo("acme/trust-latest").collaborator("wendy", "write").collaborator("tris", "triage");
        int issue = repo.createIssue("contested", "");
        repo.label(issue, READY, "wendy").unlabel(issue, READY, "tris").label(issue, READY, "tris");
        assertThat(await(tracker.lastLabeled(slug(repo), issue, READY))).map(LabelEvent::actor).contains("tris");

        repo.unlabel(issue, READY, "wendy").label(issue, READY, "wendy");
        assertThat(await(tracker.lastLabeled(slug(repo), issue, READY))).map(LabelEvent::actor).contains("wendy");
        assertThat(await(tracker.lastLabeled(slug(repo), issue, "other-label"))).isEmpty();
    }

    @Test
    void aPermissionIsAskedAfreshFreeWhileUnchangedAndTheLastAnswerIsKnown() {
        FakeRepo repo = github.repo("acme/trust-cache").collaborator("wendy", "write");
        assertThat(tracker.knownPermission(slug(repo), "wendy")).isEmpty();
        await(tracker.permission(slug(repo), "wendy"));
        long charged = github.chargedCallsTo(repo.fullName());

        assertThat(await(tracker.permission(slug(repo), "wendy"))).isEqualTo(Permission.WRITE);
        assertThat(github.callsTo(repo.fullName()).getLast().status()).as("asked again, answered 304").isEqualTo(304);
        assertThat(github.chargedCallsTo(repo.fullName())).isEqualTo(charged);
        assertThat(tracker.knownPermission(slug(repo), "WENDY")).contains(Permission.WRITE);

        repo.collaborator("wendy", "read");
        assertThat(await(tracker.permission(slug(repo), "wendy"))).isEqualTo(Permission.READ);
        assertThat(tracker.knownPermission(slug(repo), "wendy")).contains(Permission.READ);
    }

    @Test
    void aTimelineIsReadAgainOnlyWhenItsIssueChanged() throws InterruptedException {
        FakeRepo repo = github.repo("acme/timeline-memo").collaborator("wendy", "write").collaborator("tris", "triage");
        int issue = repo.createIssue("task", "");
        repo.label(issue, READY, "wendy");
        Thread.sleep(1_100); // GitHub stamps to the second: a timeline read in its issue's last second is not kept
        await(tracker.openIssuesWithLabel(slug(repo), READY));
        assertThat(await(tracker.lastLabeled(slug(repo), issue, READY))).map(LabelEvent::actor).contains("wendy");
        int calls = github.callsTo(repo.fullName()).size();

        await(tracker.openIssuesWithLabel(slug(repo), READY));
        assertThat(await(tracker.lastLabeled(slug(repo), issue, READY))).map(LabelEvent::actor).contains("wendy");
        assertThat(await(tracker.lastClosed(slug(repo), issue))).isEmpty();
        assertThat(github.callsTo(repo.fullName())).as("the listing alone").hasSize(calls + 1);

        repo.unlabel(issue, READY, "tris").label(issue, READY, "tris");
        await(tracker.openIssuesWithLabel(slug(repo), READY));
        assertThat(await(tracker.lastLabeled(slug(repo), issue, READY))).map(LabelEvent::actor).contains("tris");
    }

    @Test
    void blockersFromTheBodyAndFromDependenciesBlockOnlyWhileOpen() {
        FakeRepo other = github.repo("acme/blockers-lib");
        int libIssue = other.createIssue("library change", "");
        FakeRepo repo = github.repo("acme/blockers");
        int first = repo.createIssue("first", "");
        int second = repo.createIssue("second", "");
        int third = repo.createIssue("third", "");
        int blocked = repo.createIssue("blocked", "Needs work first.\n\nBlocked by #" + first + " and acme/blockers-lib#" + libIssue);
        repo.blockedBy(blocked, repo.fullName(), second, "wendy");
        repo.blockedBy(blocked, repo.fullName(), third, "wendy").unblocked(blocked, repo.fullName(), third, "wendy");
        repo.close(first, "wendy");

        Issue issue = await(tracker.issue(slug(repo), blocked)).orElseThrow();
        List<Blocker> blockers = await(tracker.blockers(slug(repo), issue));

        assertThat(blockers).containsExactlyInAnyOrder(
                new Blocker(slug(repo), first, false),
                new Blocker(RepoSlug.parse("acme/blockers-lib"), libIssue, true),
                new Blocker(slug(repo), second, true));
    }

    @Test
    void anUnreadableBlockerCountsAsOpen() {
        FakeRepo repo = github.repo("acme/blockers-missing");
        int blocked = repo.createIssue("blocked", "blocked by #999");
        Issue issue = await(tracker.issue(slug(repo), blocked)).orElseThrow();

        assertThat(await(tracker.blockers(slug(repo), issue))).containsExactly(new Blocker(slug(repo), 999, true));
    }

    @Test
    void commitsCarryTheirTrailers() {
        FakeRepo repo = github.repo("acme/trailers");
        Instant before = Instant.now().minusSeconds(1);
        repo.commit("main", "Add the parser\n\nWhy it was needed.\n\nAFK-Run: run-42\nRefs #7");
        repo.commit("main", "Fix the parser\n\nAFK-Run: run-42\nRefs: #7\nSigned-off-by: Agent <agent@example.org>");
        repo.commit("other", "Elsewhere\n\nAFK-Run: run-43");

        List<Commit> commits = await(tracker.commitsSince(slug(repo), "main", before));

        assertThat(commits).extracting(Commit::message).first().asString().startsWith("Fix the parser");
        assertThat(commits).allSatisfy(commit -> {
            assertThat(commit.trailer("AFK-Run")).containsExactly("run-42");
            assertThat(commit.trailer("refs")).containsExactly("#7");
        });
        assertThat(await(tracker.commitsSince(slug(repo), "main", Instant.now().plusSeconds(60)))).isEmpty();
    }

    @Test
    void labelsCommentsAndClosingAreIdempotentWrites() {
        FakeRepo repo = github.repo("acme/writes");
        int issue = repo.createIssue("work", "");

        await(tracker.addLabels(slug(repo), issue, Set.of("agent-in-progress", "priority:1")));
        await(tracker.addLabels(slug(repo), issue, Set.of("agent-in-progress")));
        await(tracker.removeLabel(slug(repo), issue, "priority:1"));
        await(tracker.removeLabel(slug(repo), issue, "priority:1"));
        long comment = await(tracker.upsertComment(slug(repo), issue, Optional.empty(), "- [x] dispatched"));
        long edited = await(tracker.upsertComment(slug(repo), issue, Optional.of(comment), "- [x] dispatched\n- [x] pushed"));
        await(tracker.closeAsCompleted(slug(repo), issue));
        await(tracker.closeAsCompleted(slug(repo), issue));

        assertThat(repo.labels(issue)).containsExactly("agent-in-progress");
        assertThat(edited).isEqualTo(comment);
        assertThat(repo.comments(issue)).singleElement().extracting(FakeRepo.Comment::body).isEqualTo("- [x] dispatched\n- [x] pushed");
        assertThat(repo.issue(issue).state).isEqualTo("closed");
        assertThat(repo.issue(issue).stateReason).isEqualTo("completed");
        assertThat(await(tracker.issue(slug(repo), issue))).map(Issue::open).contains(false);
    }

    @Test
    void writesAreSpacedOneAfterAnother() {
        FakeRepo repo = github.repo("acme/write-spacing");
        int issue = repo.createIssue("work", "");

        Uni.join().all(
                tracker.addLabels(slug(repo), issue, Set.of("a")),
                tracker.addLabels(slug(repo), issue, Set.of("b")),
                tracker.addLabels(slug(repo), issue, Set.of("c"))).andFailFast().await().atMost(Duration.ofSeconds(10));

        List<FakeGitHub.Call> writes = github.callsTo(repo.fullName());
        assertThat(writes).hasSize(3);
        for (int i = 1; i < writes.size(); i++) {
            // The configured spacing (20 ms in tests) separates consecutive writes.
            assertThat(Duration.between(writes.get(i - 1).at(), writes.get(i).at())).isGreaterThanOrEqualTo(Duration.ofMillis(15));
        }
    }

    @Test
    void aDeletedChecklistCommentIsRecreated() {
        FakeRepo repo = github.repo("acme/comment-gone");
        int issue = repo.createIssue("work", "");

        long id = await(tracker.upsertComment(slug(repo), issue, Optional.of(424242L), "checklist"));

        assertThat(repo.comments(issue)).singleElement().extracting(FakeRepo.Comment::id).isEqualTo(id);
    }

    @Test
    void findsAMarkedCommentOnALaterPage() {
        FakeRepo repo = github.repo("acme/comment-find");
        int issue = repo.createIssue("work", "");
        for (int i = 0; i < 100; i++) {
            repo.comment(issue, "wendy", "comment " + i);
        }
        long marked = repo.comment(issue, "afk-bot", "<!-- afk-run: r1 -->\nchecklist");
        repo.comment(issue, "afk-bot", "quoting <!-- afk-run: r1 --> later");

        assertThat(await(tracker.findComment(slug(repo), issue, "<!-- afk-run: r1 -->"))).contains(marked);
        assertThat(github.callsTo(repo.fullName())).extracting(FakeGitHub.Call::template)
                .containsExactly("/repos/{owner}/{repo}/issues/{issue_number}/comments",
                        "/repos/{owner}/{repo}/issues/{issue_number}/comments");
    }

    @Test
    void findsNoCommentWithoutTheMarker() {
        FakeRepo repo = github.repo("acme/comment-absent");
        int issue = repo.createIssue("work", "");
        repo.comment(issue, "wendy", "<!-- afk-run: r2 -->");

        assertThat(await(tracker.findComment(slug(repo), issue, "<!-- afk-run: r1 -->"))).isEmpty();
        assertThat(await(tracker.findComment(slug(repo), 99, "<!-- afk-run: r1 -->"))).isEmpty();
    }

    @Test
    void readsTheRepoOwnedWorkflowFile() {
        FakeRepo repo = github.repo("acme/workflow-file").file(".afk/workflow.md", "---\nturns: 3\n---\nDo the work.\n");

        assertThat(await(tracker.fileOnDefaultBranch(slug(repo), ".afk/workflow.md"))).contains("---\nturns: 3\n---\nDo the work.\n");
        assertThat(await(tracker.fileOnDefaultBranch(slug(repo), ".afk/missing.md"))).isEmpty();
    }

    @Test
    void theWorkflowFileIsReadAgainOnlyWhenTheDefaultBranchMoves() {
        FakeRepo repo = github.repo("acme/workflow-idle");
        repo.commit(repo.defaultBranch, "Initial commit");
        String path = ".afk/workflow.md";

        assertThat(await(tracker.fileOnDefaultBranch(slug(repo), path))).isEmpty();
        long charged = github.chargedCallsTo(repo.fullName());
        for (int tick = 0; tick < 5; tick++) {
            assertThat(await(tracker.fileOnDefaultBranch(slug(repo), path))).isEmpty();
        }
        assertThat(github.chargedCallsTo(repo.fullName())).as("idle reads of a missing file").isEqualTo(charged);

        repo.file(path, "Do the work.\n");
        assertThat(await(tracker.fileOnDefaultBranch(slug(repo), path))).contains("Do the work.\n");
        charged = github.chargedCallsTo(repo.fullName());
        assertThat(await(tracker.fileOnDefaultBranch(slug(repo), path))).contains("Do the work.\n");
        assertThat(github.chargedCallsTo(repo.fullName())).isEqualTo(charged);

        repo.file(path, "Do better work.\n");
        assertThat(await(tracker.fileOnDefaultBranch(slug(repo), path))).contains("Do better work.\n");
    }

    @Test
    void aMissingIssueIsEmpty() {
        FakeRepo repo = github.repo("acme/no-such-issue");
        assertThat(await(tracker.issue(slug(repo), 77))).isEmpty();
    }

    static RepoSlug slug(FakeRepo repo) {
        return RepoSlug.parse(repo.fullName());
    }

    static <T> T await(Uni<T> uni) {
        return uni.await().atMost(Duration.ofSeconds(20));
    }
}
