package dev.afk.controlplane.executor.t3;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/** The dispatch commands of t3-api.md §2.3, built as JSON with the caller's ids. */
final class T3Commands {

    /** T3 stores the client's {@code createdAt} verbatim: always ISO-8601 UTC with milliseconds. */
    private static final DateTimeFormatter CREATED_AT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final ObjectMapper mapper;
    private final T3Config config;

    T3Commands(ObjectMapper mapper, T3Config config) {
        this.mapper = mapper;
        this.config = config;
    }

    ObjectNode projectCreate(String commandId, String projectId, String title, String workspaceRoot, Instant at) {
        return command("project.create", commandId, at)
                .put("projectId", projectId)
                .put("title", title)
                .put("workspaceRoot", workspaceRoot)
                .put("createWorkspaceRootIfMissing", true);
    }

    ObjectNode threadCreate(String commandId, String threadId, String projectId, String title, String model,
            String branch, String worktreePath, Instant at) {
        ObjectNode command = command("thread.create", commandId, at)
                .put("threadId", threadId)
                .put("projectId", projectId)
                .put("title", title)
                .put("runtimeMode", config.runtimeMode())
                .put("interactionMode", "default")
                .put("branch", branch)
                .put("worktreePath", worktreePath);
        command.set("modelSelection", mapper.createObjectNode()
                .put("instanceId", config.providerInstance())
                .put("model", model == null || model.isBlank() ? config.defaultModel() : model));
        return command;
    }

    /** {@code runtimeMode}/{@code interactionMode} are required here but T3 uses the thread's own. */
    ObjectNode turnStart(String commandId, String threadId, String messageId, String text, Instant at) {
        ObjectNode command = command("thread.turn.start", commandId, at)
                .put("threadId", threadId)
                .put("runtimeMode", config.runtimeMode())
                .put("interactionMode", "default");
        ObjectNode message = command.putObject("message")
                .put("messageId", messageId)
                .put("role", "user")
                .put("text", text);
        message.putArray("attachments");
        return command;
    }

    ObjectNode userInputRespond(String commandId, String threadId, String requestId, Map<String, String> answers,
            Instant at) {
        ObjectNode command = command("thread.user-input.respond", commandId, at)
                .put("threadId", threadId)
                .put("requestId", requestId);
        ObjectNode body = command.putObject("answers");
        answers.forEach(body::put);
        return command;
    }

    ObjectNode approvalRespond(String commandId, String threadId, String requestId, String decision, Instant at) {
        return command("thread.approval.respond", commandId, at)
                .put("threadId", threadId)
                .put("requestId", requestId)
                .put("decision", decision);
    }

    /** With the active turn's id: only then does T3 mark the turn interrupted rather than errored. */
    ObjectNode turnInterrupt(String commandId, String threadId, String turnId, Instant at) {
        ObjectNode command = command("thread.turn.interrupt", commandId, at).put("threadId", threadId);
        if (turnId != null) {
            command.put("turnId", turnId);
        }
        return command;
    }

    ObjectNode sessionStop(String commandId, String threadId, Instant at) {
        return command("thread.session.stop", commandId, at).put("threadId", threadId);
    }

    /** Decisions {@code thread.approval.respond} accepts. */
    static final List<String> DECISIONS = List.of("accept", "acceptForSession", "decline", "cancel");

    private ObjectNode command(String type, String commandId, Instant at) {
        return mapper.createObjectNode()
                .put("type", type)
                .put("commandId", commandId)
                .put("createdAt", CREATED_AT.format(at.truncatedTo(ChronoUnit.MILLIS)));
    }
}
