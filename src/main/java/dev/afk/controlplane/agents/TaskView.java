package dev.afk.controlplane.agents;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A task as clients see it. {@code routedTo} names where a router forwarded it; {@code parentId} the router's task. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskView(UUID id, String agent, String status, String trigger, String requestedBy, String message,
        String result, String errorCode, String error, String routedTo, UUID parentId, OffsetDateTime queuedAt,
        OffsetDateTime startedAt, OffsetDateTime finishedAt) {

    static TaskView of(AgentTaskRow row, String agent) {
        return new TaskView(row.id, agent, row.status, row.trigger, row.requestedBy, row.message, row.result,
                row.errorCode, row.error, row.routedTo, row.parentId, row.queuedAt, row.startedAt, row.finishedAt);
    }
}
