package dev.afk.controlplane.agents;

import dev.afk.controlplane.agents.runtime.RegistryConfig;
import dev.afk.controlplane.agents.runtime.TaskOutcome;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;

/**
 * Task records. Every status change is a compare-and-set on the current status, so a late
 * result never overwrites a cancellation and a task never runs twice.
 *
 * <p>An active task is claimed by the replica that queued it, under a lease that replica renews
 * while the task runs. A task whose lease lapsed lost its replica: {@link #sweepExpired} fails it.
 */
@ApplicationScoped
class TaskStore {

    /** Most tasks one sweep fails; the next sweep takes the rest. */
    private static final int SWEEP_BATCH = 100;

    private final Clock clock;
    private final Pool pool;
    private final Duration lease;
    /** This process: a restarted replica is a new one, and never renews its predecessor's leases. */
    private final String replica = "replica-" + UUID.randomUUID();

    TaskStore(Clock clock, Pool pool, RegistryConfig config) {
        this.clock = clock;
        this.pool = pool;
        this.lease = config.tasks().lease();
    }

    /** A task failed by the sweep, and the error code it got. */
    record Swept(UUID id, String errorCode) {}

    /**
     * Queues a task unless the agent is full. The agent row is locked while counting, so two
     * replicas cannot both take the last slot.
     */
    @WithTransaction
    Uni<AgentTaskRow> enqueue(AgentTaskRow task, String agentName) {
        return AgentRow.<AgentRow>findById(task.agentId, LockModeType.PESSIMISTIC_WRITE)
                .flatMap(agent -> AgentTaskRow.count("agentId = ?1 and status in ?2", task.agentId, TaskStatus.ACTIVE)
                        .flatMap(active -> {
                            if (active >= agent.maxParallelTasks) {
                                return Uni.createFrom().failure(RegistryProblem.capacityFull(agentName, agent.maxParallelTasks));
                            }
                            task.status = TaskStatus.QUEUED;
                            task.queuedAt = OffsetDateTime.now(clock);
                            task.claimedBy = replica;
                            task.leaseUntil = task.queuedAt.plus(lease);
                            return task.<AgentTaskRow>persist();
                        }));
    }

    /** queued → running, by the replica holding its lease; false when it was cancelled or swept first. */
    @WithTransaction
    Uni<Boolean> markRunning(UUID id) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return AgentTaskRow.update("status = ?1, startedAt = ?2, leaseUntil = ?3 where id = ?4 and status = ?5 and claimedBy = ?6",
                TaskStatus.RUNNING, now, now.plus(lease), id, TaskStatus.QUEUED, replica).map(n -> n == 1);
    }

    /** Extends the leases of these tasks, as far as they are still active and this replica's. */
    @WithTransaction
    Uni<Integer> renew(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return AgentTaskRow.update("leaseUntil = ?1 where id in ?2 and claimedBy = ?3 and status in ?4",
                OffsetDateTime.now(clock).plus(lease), ids, replica, TaskStatus.ACTIVE);
    }

    /**
     * Fails active tasks whose lease lapsed: a running one with {@code interrupted} (it may have
     * acted on the agent, so it is not run again), a queued one with {@code not_started}. Rows
     * another replica is sweeping are skipped, so each task is swept once; being failed, they no
     * longer count against capacity.
     */
    Uni<List<Swept>> sweepExpired() {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return pool.preparedQuery("""
                        with expired as (
                            select id from agent_task
                            where status in ('queued', 'running') and lease_until < $1
                            order by lease_until
                            limit $2
                            for update skip locked)
                        update agent_task t set
                            status = 'failed',
                            error_code = case t.status when 'running' then 'interrupted' else 'not_started' end,
                            error = case t.status
                                when 'running' then 'The replica running the task stopped before it ended'
                                else 'The replica that queued the task stopped before starting it' end,
                            finished_at = $1
                        from expired
                        where t.id = expired.id
                        returning t.id, t.error_code""")
                .execute(Tuple.of(now, SWEEP_BATCH))
                .map(rows -> StreamSupport.stream(rows.spliterator(), false)
                        .map(row -> new Swept(row.getUUID("id"), row.getString("error_code")))
                        .toList());
    }

    /** running → success | failed; false when it was cancelled meanwhile. */
    @WithTransaction
    Uni<Boolean> finish(UUID id, TaskOutcome outcome) {
        TaskOutcome.Usage usage = outcome.usage();
        return AgentTaskRow.update("status = ?1, result = ?2, errorCode = ?3, error = ?4, routedTo = ?5, finishedAt = ?6, "
                        + "model = ?7, inputTokens = ?8, outputTokens = ?9, costUsd = ?10 where id = ?11 and status = ?12",
                outcome.success() ? TaskStatus.SUCCESS : TaskStatus.FAILED, outcome.result(), outcome.errorCode(),
                outcome.error(), outcome.routedTo(), OffsetDateTime.now(clock),
                usage == null ? null : usage.model(), usage == null ? null : usage.inputTokens(),
                usage == null ? null : usage.outputTokens(), usage == null ? null : usage.costUsd(),
                id, TaskStatus.RUNNING).map(n -> n == 1);
    }

    /** queued | running → cancelled; false when it had already ended. */
    @WithTransaction
    Uni<Boolean> cancel(UUID id) {
        return AgentTaskRow.update("status = ?1, errorCode = 'cancelled', finishedAt = ?2 where id = ?3 and status in ?4",
                TaskStatus.CANCELLED, OffsetDateTime.now(clock), id, TaskStatus.ACTIVE).map(n -> n == 1);
    }

    /** Cancels every task of the agent still queued or running; returns their ids. */
    @WithTransaction
    Uni<List<UUID>> cancelAll(long agentId) {
        return AgentTaskRow.<AgentTaskRow>list("agentId = ?1 and status in ?2", agentId, TaskStatus.ACTIVE)
                .call(() -> AgentTaskRow.update("status = ?1, errorCode = 'cancelled', finishedAt = ?2 "
                        + "where agentId = ?3 and status in ?4",
                        TaskStatus.CANCELLED, OffsetDateTime.now(clock), agentId, TaskStatus.ACTIVE))
                .map(tasks -> tasks.stream().map(t -> t.id).toList());
    }

    @WithSession
    Uni<AgentTaskRow> find(long agentId, UUID id) {
        return AgentTaskRow.find("id = ?1 and agentId = ?2", id, agentId).firstResult();
    }

    @WithSession
    Uni<List<AgentTaskRow>> recent(long agentId, int limit) {
        return AgentTaskRow.find("agentId = ?1 order by queuedAt desc, id", agentId).page(0, limit).list();
    }

    /** Tasks queued or running, per agent id (agents without any are absent). */
    @WithSession
    Uni<Map<Long, Integer>> activeCounts(Collection<Long> agentIds) {
        if (agentIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return Panache.getSession().flatMap(session -> session.createSelectionQuery(
                        "select t.agentId, count(t) from AgentTaskRow t where t.agentId in :ids and t.status in :active "
                                + "group by t.agentId", Object[].class)
                .setParameter("ids", agentIds)
                .setParameter("active", TaskStatus.ACTIVE)
                .getResultList())
                .map(rows -> {
                    Map<Long, Integer> counts = new HashMap<>();
                    rows.forEach(r -> counts.put((Long) r[0], ((Long) r[1]).intValue()));
                    return counts;
                });
    }
}
