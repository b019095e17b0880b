package dev.afk.controlplane.afk.scenarios;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.afk.controlplane.afk.fakes.FakeExecutor;
import dev.afk.controlplane.afk.runs.Checklist;
import dev.afk.controlplane.afk.runs.Run;
import dev.afk.controlplane.afk.runs.RunStore;
import dev.afk.controlplane.ci.CiVerdicts.Outcome;
import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.common.RunId;
import dev.afk.controlplane.notify.Doorbell.Kind;
import dev.afk.controlplane.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A crash at any point loses no run and dispatches nothing twice: the state is in the database, and
 * effects that were performed but not marked done are performed again, idempotently.
 */
@QuarkusTest
class RestartTests extends PipelineScenario {

    @Inject
    Pool pool;
    @Inject
    RunStore store;

    RunId runId(RepoSlug repo) {
        return RunId.parse(run(repo).getString("run.id"));
    }

    int version(RunId runId) {
        return await(() -> pool.preparedQuery("select version from afk_run where id = $1").execute(Tuple.of(runId.value())))
                .iterator().next().getInteger("version");
    }

    /**
     * A replica dies holding the run's lease, after performing the effects of its last transition
     * but before marking them done. Another replica must leave the run alone until the lease
     * lapses, then carry on.
     */
    void crashAndRecover(RepoSlug repo) {
        RunId id = runId(repo);
        await(() -> pool.preparedQuery("update afk_run_effect set done_at = null where run_id = $1")
                .execute(Tuple.of(id.value())));
        await(() -> pool.preparedQuery("update afk_run set effects_pending = true, next_reconcile_at = $2 where id = $1")
                .execute(Tuple.of(id.value(), clock.instant().atOffset(java.time.ZoneOffset.UTC))));
        List<Run> claimed = await(() -> pool.withTransaction(sql -> store.claim(sql, "crashed-replica", clock.instant(),
                clock.instant().plus(Duration.ofMinutes(2)), 1000)));
        assertThat(claimed).extracting(Run::id).contains(id);
        int before = version(id);
        reconcile();
        assertThat(version(id)).as("a leased run is left alone").isEqualTo(before);
        clock.advanceMinutes(3);
        executor.threads(repo).forEach(FakeExecutor.Thread::progress);
        reconcile();
    }

    /**
     * A pass that outlasts the lease (a slow executor, GitHub retrying behind its write queue) keeps
     * its runs: it renews their leases while it works, so no other pass takes a run over and
     * performs its effects a second time.
     */
    @Test
    void aPassSlowerThanTheLeaseKeepsItsRuns() {
        RepoSlug repo = enroll("restart-slow-pass");
        readyIssue(repo, 1);
        poll();
        RunId id = runId(repo);
        CompletableFuture<Void> gate = executor.holdStarts(repo);
        CompletableFuture<Integer> slow = reconciler.tick("slow-replica").subscribeAsCompletionStage();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> executor.commandLog().contains("ensure-project:" + repo));

        clock.advanceMinutes(3); // past the lease the pass took
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> leaseUntil(id).isAfter(clock.instant()));
        List<Run> taken = await(() -> pool.withTransaction(sql -> store.claim(sql, "other-replica", clock.instant(),
                clock.instant().plus(Duration.ofMinutes(2)), 1000)));
        assertThat(taken).extracting(Run::id).doesNotContain(id);

        gate.complete(null);
        assertThat(slow.join()).isGreaterThanOrEqualTo(1);
        assertThat(leaseUntil(id)).as("released at the end of the pass").isNull();
        assertThat(executor.startCalls()).filteredOn(s -> s.threadId().equals(executor.latest(repo).id())).hasSize(1);
        reconcile();
        assertThat(state(repo)).isEqualTo("WORKING");
    }

    java.time.Instant leaseUntil(RunId runId) {
        var until = await(() -> pool.preparedQuery("select lease_until from afk_run where id = $1").execute(Tuple.of(runId.value())))
                .iterator().next().getOffsetDateTime("lease_until");
        return until == null ? null : until.toInstant();
    }

    /**
     * The tracker created the checklist comment, then the replica died before the run stored its
     * id: the retried effect finds the comment by the run's marker and edits it, never a second one.
     */
    @Test
    void aCommentCreatedButNotStoredBeforeACrashIsFoundAgain() {
        RepoSlug repo = enroll("restart-comment");
        var issue = readyIssue(repo, 1);
        tick();
        RunId id = runId(repo);
        assertThat(issue.comments()).hasSize(1);
        Long created = checklistCommentId(id);
        assertThat(created).isNotNull();

        await(() -> pool.preparedQuery("update afk_run set checklist_comment_id = null where id = $1")
                .execute(Tuple.of(id.value())));
        crashAndRecover(repo);

        assertThat(issue.comments()).hasSize(1);
        assertThat(issue.comments().getFirst()).startsWith(Checklist.marker(id));
        assertThat(checklistCommentId(id)).isEqualTo(created);
    }

    Long checklistCommentId(RunId runId) {
        return await(() -> pool.preparedQuery("select checklist_comment_id from afk_run where id = $1")
                .execute(Tuple.of(runId.value()))).iterator().next().getLong("checklist_comment_id");
    }

    @Test
    void aFailedStartIsRetriedAndTheLabelOnlyFollowsAcceptance() {
        RepoSlug repo = enroll("restart-start");
        var issue = readyIssue(repo, 1);
        executor.failStarts(repo, 1);
        tick();
        assertThat(state(repo)).isEqualTo("DISPATCHING");
        assertThat(executor.threads(repo)).isEmpty();
        assertThat(issue.labels()).doesNotContain("agent-in-progress");
        assertThat(run(repo).getString("effects.find { it.effect.type == 'start-work' }.lastError")).contains("executor unavailable");

        clock.advanceMinutes(1);
        reconcile();
        assertThat(executor.threads(repo)).hasSize(1);
        assertThat(issue.labels()).contains("agent-in-progress");
        assertThat(state(repo)).isEqualTo("WORKING");
    }

    @Test
    void aStartThatKeepsFailingEscalates() {
        RepoSlug repo = enroll("restart-dead");
        readyIssue(repo, 1);
        executor.failStarts(repo, 100);
        for (int i = 0; i < 10; i++) {
            tick();
            clock.advanceMinutes(11);
        }
        assertThat(state(repo)).isEqualTo("ESCALATED");
        assertThat(run(repo).getString("run.outcomeReason")).contains("StartWork failed 8 times");
        assertThat(tracker.existing(repo, 1).labels()).contains("ready-for-human").doesNotContain("agent-in-progress");
    }

    @Test
    void aRestartInEveryStateResumesWithoutDoingAnythingTwice() {
        RepoSlug repo = enroll("restart-walk");
        var issue = readyIssue(repo, 1);

        poll();
        assertThat(state(repo)).isEqualTo("QUEUED");
        poll();
        assertThat(runs(repo)).hasSize(1);
        crashAndRecover(repo);
        assertThat(state(repo)).isIn("DISPATCHING", "WORKING");

        crashAndRecover(repo); // re-performs the dispatch effects: the executor has seen those commands
        assertThat(state(repo)).isEqualTo("WORKING");
        FakeExecutor.Thread thread = executor.latest(repo);
        assertThat(executor.threads(repo)).hasSize(1);
        assertThat(executor.startCalls().stream().filter(s -> s.threadId().equals(thread.id())).count()).isGreaterThan(1);

        thread.ask("q1", "Which port?");
        reconcile();
        assertThat(state(repo)).isEqualTo("NEEDS_INPUT");
        crashAndRecover(repo);
        assertThat(state(repo)).isEqualTo("NEEDS_INPUT");
        assertThat(doorbell.kinds(repo)).containsExactly(Kind.NEEDS_HUMAN);

        given().header("Authorization", Tokens.operator()).contentType(ContentType.JSON).body("{\"answer\": \"8080\"}")
                .post("/api/afk/runs/" + runId(repo) + "/answer").then().statusCode(200);
        reconcile();
        assertThat(state(repo)).isEqualTo("WORKING");
        crashAndRecover(repo);
        assertThat(thread.answers()).containsExactly("8080");

        ci.script("red0001", Outcome.RED);
        agentPushes(repo, "red0001");
        reconcile();
        assertThat(state(repo)).isEqualTo("AWAITING_CI");
        crashAndRecover(repo);
        assertThat(state(repo)).isEqualTo("FIX_FORWARDING");
        crashAndRecover(repo);
        assertThat(state(repo)).isEqualTo("FIX_FORWARDING");
        assertThat(run(repo).getInt("run.fixForwardAttempts")).isEqualTo(1);
        assertThat(thread.messages()).hasSize(2);

        ci.script("green02", Outcome.GREEN);
        agentPushes(repo, "green02");
        reconcile();
        assertThat(state(repo)).isEqualTo("AWAITING_CI");
        reconcile();
        assertThat(state(repo)).isEqualTo("DONE");
        crashAndRecover(repo);

        assertThat(state(repo)).isEqualTo("DONE");
        assertThat(runs(repo)).hasSize(1);
        assertThat(executor.threads(repo)).hasSize(1);
        assertThat(thread.messages()).hasSize(2);
        assertThat(issue.isOpen()).isFalse();
        assertThat(issue.comments()).hasSize(1);
        assertThat(doorbell.kinds(repo)).containsExactly(Kind.NEEDS_HUMAN, Kind.DONE);
        assertThat(run(repo).getList("timeline.to")).containsSubsequence(
                "QUEUED", "DISPATCHING", "WORKING", "NEEDS_INPUT", "WORKING", "AWAITING_CI", "FIX_FORWARDING", "AWAITING_CI", "DONE");
    }
}
