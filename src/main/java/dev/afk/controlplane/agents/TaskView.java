package dev.afk.controlplane.agents;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.afk.controlplane.agents.runtime.TaskOutcome;
import dev.afk.controlplane.agents.runtime.TaskSnapshot;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * A task as clients see it. {@code routedTo} names where a router forwarded it; {@code parentId} the
 * router's task; {@code usage} the tokens and cost of its model calls.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskView(UUID id, String agent, String status, String trigger, String requestedBy, String message,
        String result, String errorCode, String error, String routedTo, UUID parentId, OffsetDateTime queuedAt,
        OffsetDateTime startedAt, OffsetDateTime finishedAt, TaskOutcome.Usage usage) {

    static TaskView of(AgentTaskRow row, String agent) {
        TaskOutcome.Usage usage = row.model == null ? null
                : new TaskOutcome.Usage(row.model, row.inputTokens, row.outputTokens, row.costUsd);
        return new TaskView(row.id, agent, row.status, row.trigger, row.requestedBy, row.message, row.result,
                row.errorCode, row.error, row.routedTo, row.parentId, row.queuedAt, row.startedAt, row.finishedAt, usage);
    }

    static TaskView of(TaskSnapshot task, String agent) {
        return new TaskView(task.id(), agent, task.status(), task.trigger(), task.requestedBy(), task.message(),
                task.result(), task.errorCode(), task.error(), null, null, utc(task.queuedAt()), utc(task.startedAt()),
                utc(task.finishedAt()), null);
    }

    private static OffsetDateTime utc(Instant at) {
        return at == null ? null : at.atOffset(ZoneOffset.UTC);
    }
}
