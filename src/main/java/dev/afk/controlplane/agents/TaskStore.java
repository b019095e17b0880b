package dev.afk.controlplane.agents;

import dev.afk.controlplane.agents.runtime.TaskOutcome;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Task records. Every status change is a compare-and-set on the current status, so a late
 * result never overwrites a cancellation and a task never runs twice.
 */
@ApplicationScoped
class TaskStore {

    private final Clock clock;

    TaskStore(Clock clock) {
        this.clock = clock;
    }

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
                            return task.<AgentTaskRow>persist();
                        }));
    }

    /** queued → running; false when it was cancelled first. */
    @WithTransaction
    Uni<Boolean> markRunning(UUID id) {
        return AgentTaskRow.update("status = ?1, startedAt = ?2 where id = ?3 and status = ?4",
                TaskStatus.RUNNING, OffsetDateTime.now(clock), id, TaskStatus.QUEUED).map(n -> n == 1);
    }

    /** running → success | failed; false when it was cancelled meanwhile. */
    @WithTransaction
    Uni<Boolean> finish(UUID id, TaskOutcome outcome) {
        return AgentTaskRow.update("status = ?1, result = ?2, errorCode = ?3, error = ?4, routedTo = ?5, finishedAt = ?6 "
                        + "where id = ?7 and status = ?8",
                outcome.success() ? TaskStatus.SUCCESS : TaskStatus.FAILED, outcome.result(), outcome.errorCode(),
                outcome.error(), outcome.routedTo(), OffsetDateTime.now(clock), id, TaskStatus.RUNNING).map(n -> n == 1);
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
