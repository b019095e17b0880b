package dev.afk.controlplane.fakes.t3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The fake's orchestration engine: projects, threads, turns, command receipts and scripted agents.
 * Commands run one at a time (like T3's single queue); the agent reacts synchronously, so the read
 * model already shows the turn's outcome when dispatch answers.
 */
final class FakeT3Orchestration {

    /** How a command ended: accepted with a sequence, or rejected by a business rule. */
    record Receipt(long sequence, boolean accepted) {}

    /** Thrown for a command JSON that matches no schema: 400 with an empty body. */
    static final class SchemaError extends RuntimeException {
        SchemaError(String why) {
            super(why);
        }
    }

    /** Thrown when normalisation fails (e.g. a missing workspace root): 400 {@code invalid_command}. */
    static final class InvalidCommand extends RuntimeException {
        InvalidCommand(String why) {
            super(why);
        }
    }

    /** Thrown for a business-rule failure: 500 {@code orchestration_dispatch_failed}. */
    static final class DispatchFailed extends RuntimeException {
        DispatchFailed(String why) {
            super(why);
        }
    }

    private static final Set<String> RUNTIME_MODES = Set.of("approval-required", "auto-accept-edits", "full-access", "auto");
    private static final Set<String> INTERACTION_MODES = Set.of("default", "plan");
    private static final Set<String> DECISIONS = Set.of("accept", "acceptForSession", "decline", "cancel");

    private final ObjectMapper mapper;
    private final Map<String, ObjectNode> projects = new LinkedHashMap<>();
    private final Map<String, FakeThread> threads = new LinkedHashMap<>();
    private final Map<String, Receipt> receipts = new HashMap<>();
    private final Map<String, Integer> received = new HashMap<>();
    private final Map<String, Integer> executed = new HashMap<>();
    private final List<JsonNode> dispatched = new ArrayList<>();
    private final Map<String, Deque<AgentScript>> scripts = new HashMap<>();
    private final Set<String> directories = new HashSet<>();
    private Function<String, AgentScript> defaultScript = prompt -> AgentScript.complete();
    private long sequence;
    private Instant updatedAt = Instant.EPOCH;

    FakeT3Orchestration(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    // ---- scripting and inspection -------------------------------------------------------------

    synchronized void script(String threadId, AgentScript... next) {
        scripts.computeIfAbsent(threadId, id -> new ArrayDeque<>()).addAll(List.of(next));
    }

    synchronized void defaultScript(Function<String, AgentScript> byPrompt) {
        defaultScript = byPrompt;
    }

    synchronized void directory(String path) {
        directories.add(path);
    }

    synchronized List<JsonNode> dispatched() {
        return List.copyOf(dispatched);
    }

    synchronized int received(String commandId) {
        return received.getOrDefault(commandId, 0);
    }

    synchronized int executed(String commandId) {
        return executed.getOrDefault(commandId, 0);
    }

    synchronized boolean hasThread(String threadId) {
        return threads.containsKey(threadId);
    }

    // ---- dispatch -------------------------------------------------------------------------------

    /** Runs one command; returns the sequence of its last event or throws one of the error types. */
    synchronized long dispatch(JsonNode command) {
        if (!command.isObject()) {
            throw new SchemaError("not an object");
        }
        String type = command.path("type").asText("");
        String commandId = required(command, "commandId");
        validate(type, command);
        normalise(type, command);
        dispatched.add(command.deepCopy());
        received.merge(commandId, 1, Integer::sum);
        Receipt receipt = receipts.get(commandId);
        if (receipt != null) {
            if (!receipt.accepted()) {
                throw new DispatchFailed("command " + commandId + " was rejected before");
            }
            return receipt.sequence();
        }
        try {
            execute(type, command);
            executed.merge(commandId, 1, Integer::sum);
            receipts.put(commandId, new Receipt(sequence, true));
            return sequence;
        } catch (DispatchFailed e) {
            receipts.put(commandId, new Receipt(sequence, false));
            throw e;
        }
    }

    private void validate(String type, JsonNode c) {
        switch (type) {
            case "project.create" -> {
                required(c, "projectId", "title", "workspaceRoot", "createdAt");
                optionalBoolean(c, "createWorkspaceRootIfMissing");
            }
            case "thread.create" -> {
                required(c, "threadId", "projectId", "title", "createdAt");
                oneOf(c, "runtimeMode", RUNTIME_MODES);
                if (c.has("interactionMode")) {
                    oneOf(c, "interactionMode", INTERACTION_MODES);
                }
                if (!c.path("modelSelection").isObject()) {
                    throw new SchemaError("modelSelection");
                }
                nullableString(c, "branch");
                nullableString(c, "worktreePath");
            }
            case "thread.turn.start" -> {
                required(c, "threadId", "createdAt");
                oneOf(c, "runtimeMode", RUNTIME_MODES);
                oneOf(c, "interactionMode", INTERACTION_MODES);
                JsonNode message = c.path("message");
                required(message, "messageId");
                if (!"user".equals(message.path("role").asText()) || !message.path("text").isTextual()
                        || !message.path("attachments").isArray()) {
                    throw new SchemaError("message");
                }
            }
            case "thread.turn.interrupt", "thread.session.stop" -> required(c, "threadId", "createdAt");
            case "thread.approval.respond" -> {
                required(c, "threadId", "requestId", "createdAt");
                oneOf(c, "decision", DECISIONS);
            }
            case "thread.user-input.respond" -> {
                required(c, "threadId", "requestId", "createdAt");
                if (!c.path("answers").isObject()) {
                    throw new SchemaError("answers");
                }
            }
            case "thread.delete" -> required(c, "threadId");
            default -> throw new SchemaError("unknown command type " + type);
        }
    }

    private void normalise(String type, JsonNode c) {
        if (!type.equals("project.create")) {
            return;
        }
        String root = c.path("workspaceRoot").asText();
        boolean exists = directories.contains(root) || Files.isDirectory(Path.of(root));
        if (!exists && !c.path("createWorkspaceRootIfMissing").asBoolean(false)) {
            throw new InvalidCommand("workspace root " + root + " is not a directory");
        }
        directories.add(root);
    }

    private void execute(String type, JsonNode c) {
        Instant at = Instant.parse(c.path("createdAt").asText(Instant.now().toString()));
        switch (type) {
            case "project.create" -> createProject(c, at);
            case "thread.create" -> createThread(c, at);
            case "thread.turn.start" -> live(c).startTurn(c, at);
            case "thread.turn.interrupt" -> live(c).interrupt(c.path("turnId").asText(null));
            case "thread.session.stop" -> live(c).stopSession();
            case "thread.approval.respond" -> live(c).respond(c.path("requestId").asText(), "approval", c.path("decision"));
            case "thread.user-input.respond" -> live(c).respond(c.path("requestId").asText(), "user-input", c.path("answers"));
            case "thread.delete" -> live(c).delete();
            default -> throw new SchemaError(type);
        }
    }

    private void createProject(JsonNode c, Instant at) {
        String id = c.path("projectId").asText();
        if (projects.containsKey(id)) {
            throw new DispatchFailed("project " + id + " exists");
        }
        ObjectNode project = mapper.createObjectNode()
                .put("id", id)
                .put("title", c.path("title").asText())
                .put("workspaceRoot", c.path("workspaceRoot").asText())
                .putNull("repositoryIdentity");
        project.set("defaultModelSelection", c.path("defaultModelSelection").isObject()
                ? c.path("defaultModelSelection").deepCopy() : mapper.nullNode());
        project.putArray("scripts");
        project.put("createdAt", at.toString()).put("updatedAt", at.toString()).putNull("deletedAt");
        projects.put(id, project);
        event(at);
    }

    private void createThread(JsonNode c, Instant at) {
        String id = c.path("threadId").asText();
        String projectId = c.path("projectId").asText();
        if (threads.containsKey(id)) {
            throw new DispatchFailed("thread " + id + " exists (ids stay reserved)");
        }
        if (!projects.containsKey(projectId) || !projects.get(projectId).path("deletedAt").isNull()) {
            throw new DispatchFailed("unknown project " + projectId);
        }
        threads.put(id, new FakeThread(c, at));
        event(at);
    }

    private FakeThread live(JsonNode c) {
        FakeThread thread = threads.get(c.path("threadId").asText());
        if (thread == null || thread.deletedAt != null) {
            throw new DispatchFailed("unknown thread " + c.path("threadId").asText());
        }
        return thread;
    }

    private long event(Instant at) {
        sequence++;
        if (at.isAfter(updatedAt)) {
            updatedAt = at;
        }
        return sequence;
    }

    // ---- reads ----------------------------------------------------------------------------------

    /** {@code /snapshot}; from 0.0.32 thread bodies arrive empty. */
    synchronized ObjectNode snapshot(boolean withBodies) {
        ObjectNode root = mapper.createObjectNode().put("snapshotSequence", sequence);
        ArrayNode p = root.putArray("projects");
        projects.values().forEach(project -> p.add(project.deepCopy()));
        ArrayNode t = root.putArray("threads");
        threads.values().forEach(thread -> t.add(thread.render(withBodies)));
        root.put("updatedAt", stamp(updatedAt));
        return root;
    }

    /** {@code /shell} (0.0.29+): thread summaries with pending flags, no bodies. */
    synchronized ObjectNode shell() {
        ObjectNode root = mapper.createObjectNode().put("snapshotSequence", sequence);
        ArrayNode p = root.putArray("projects");
        projects.values().forEach(project -> p.add(project.deepCopy()));
        ArrayNode t = root.putArray("threads");
        threads.values().forEach(thread -> t.add(thread.shell()));
        root.put("updatedAt", stamp(updatedAt));
        return root;
    }

    /** {@code /threads/{id}} (0.0.29+), or null when unknown. */
    synchronized ObjectNode thread(String threadId) {
        FakeThread thread = threads.get(threadId);
        if (thread == null) {
            return null;
        }
        ObjectNode root = mapper.createObjectNode().put("snapshotSequence", sequence);
        root.set("thread", thread.render(true));
        return root;
    }

    private static String stamp(Instant at) {
        return at.equals(Instant.EPOCH) ? "1970-01-01T00:00:00.000Z" : at.toString();
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static String required(JsonNode node, String... fields) {
        String last = null;
        for (String field : fields) {
            JsonNode value = node.path(field);
            if (!value.isTextual() || value.asText().isBlank()) {
                throw new SchemaError("missing " + field);
            }
            last = value.asText();
        }
        return last;
    }

    private static void optionalBoolean(JsonNode node, String field) {
        if (node.has(field) && !node.path(field).isBoolean()) {
            throw new SchemaError(field);
        }
    }

    private static void nullableString(JsonNode node, String field) {
        if (!node.has(field) || !(node.path(field).isNull() || node.path(field).isTextual())) {
            throw new SchemaError(field);
        }
    }

    private static void oneOf(JsonNode node, String field, Set<String> values) {
        if (!values.contains(node.path(field).asText(null))) {
            throw new SchemaError(field);
        }
    }

    /** One thread with its session, turns, messages and activities, as T3 projects them. */
    private final class FakeThread {
        private final ObjectNode meta;
        private final List<ObjectNode> messages = new ArrayList<>();
        private final List<ObjectNode> activities = new ArrayList<>();
        private final List<ObjectNode> checkpoints = new ArrayList<>();
        private final Map<String, AgentScript> pending = new LinkedHashMap<>();
        private ObjectNode latestTurn;
        private ObjectNode session;
        private Instant updated;
        private String deletedAt;
        private int turns;
        private AgentScript running;
        private String lastPrompt;

        FakeThread(JsonNode c, Instant at) {
            meta = mapper.createObjectNode()
                    .put("id", c.path("threadId").asText())
                    .put("projectId", c.path("projectId").asText())
                    .put("title", c.path("title").asText());
            meta.set("modelSelection", c.path("modelSelection").deepCopy());
            meta.put("runtimeMode", c.path("runtimeMode").asText())
                    .put("interactionMode", c.path("interactionMode").asText("default"));
            meta.set("branch", c.path("branch").deepCopy());
            meta.set("worktreePath", c.path("worktreePath").deepCopy());
            meta.put("createdAt", at.toString());
            updated = at;
        }

        String id() {
            return meta.path("id").asText();
        }

        void startTurn(JsonNode c, Instant at) {
            JsonNode message = c.path("message");
            lastPrompt = message.path("text").asText();
            ObjectNode user = mapper.createObjectNode()
                    .put("id", message.path("messageId").asText())
                    .put("role", "user")
                    .put("text", lastPrompt);
            user.putArray("attachments");
            user.putNull("turnId").put("streaming", false).put("createdAt", at.toString()).put("updatedAt", at.toString());
            messages.add(user);
            touch(at);
            AgentScript script = scripts.getOrDefault(id(), new ArrayDeque<>()).poll();
            script = script == null ? defaultScript.apply(lastPrompt) : script;
            if (script.kind() == AgentScript.Kind.FAIL_TO_START) {
                failToStart(script, at);
                return;
            }
            turns++;
            String turnId = UUID.randomUUID().toString();
            latestTurn = mapper.createObjectNode().put("turnId", turnId).put("state", "running")
                    .put("requestedAt", at.toString()).put("startedAt", at.toString())
                    .putNull("completedAt").putNull("assistantMessageId");
            session("running", turnId, session == null ? null : session.path("lastError").asText(null));
            running = script;
            switch (script.kind()) {
                case COMPLETE -> complete();
                case ERROR -> fail(script.text());
                case ASK_QUESTION -> ask(script);
                case REQUEST_APPROVAL -> requestApproval(script);
                case NEVER_FINISH, FAIL_TO_START -> {}
            }
        }

        private void failToStart(AgentScript script, Instant at) {
            activity("error", "provider.turn.start.failed", "Provider turn start failed",
                    mapper.createObjectNode().put("detail", script.text()), null, at);
            for (int i = 0; i < 2; i++) {
                activity("error", "runtime.error", "Runtime error",
                        mapper.createObjectNode().put("message", "Provider adapter process error: " + script.text()),
                        null, Instant.now());
            }
            session("stopped", null, "Provider adapter process error: " + script.text());
        }

        private void ask(AgentScript script) {
            String requestId = UUID.randomUUID().toString();
            ObjectNode payload = mapper.createObjectNode().put("requestId", requestId);
            ObjectNode question = payload.putArray("questions").addObject()
                    .put("id", script.text()).put("header", "Question").put("question", script.text());
            ArrayNode options = question.putArray("options");
            script.options().forEach(o -> options.addObject().put("label", o).put("description", "Answer '" + o + "'"));
            question.put("multiSelect", false);
            activity("info", "user-input.requested", "User input requested", payload, turnId(), Instant.now());
            pending.put(requestId, script);
        }

        private void requestApproval(AgentScript script) {
            String requestId = UUID.randomUUID().toString();
            activity("approval", "approval.requested", "Command approval requested", mapper.createObjectNode()
                    .put("requestId", requestId).put("requestKind", "command")
                    .put("requestType", "command_execution_approval").put("detail", "Bash: " + script.text()),
                    turnId(), Instant.now());
            pending.put(requestId, script);
        }

        void respond(String requestId, String kind, JsonNode answer) {
            AgentScript script = pending.remove(requestId);
            if (script == null || !"running".equals(session.path("status").asText())) {
                // Pending requests live in provider memory: a stale answer fails asynchronously.
                activity("error", "provider." + kind + ".respond.failed", "Provider " + kind + " response failed",
                        mapper.createObjectNode().put("requestId", requestId)
                                .put("detail", "Stale pending " + kind + " request: " + requestId),
                        turnId(), Instant.now());
                return;
            }
            ObjectNode payload = mapper.createObjectNode().put("requestId", requestId);
            payload.set(kind.equals("approval") ? "decision" : "answers", answer.deepCopy());
            activity(kind.equals("approval") ? "approval" : "info", kind + ".resolved",
                    kind.equals("approval") ? "Approval resolved" : "User input submitted", payload, turnId(), Instant.now());
            complete();
        }

        private void complete() {
            running.work().accept(new AgentScript.TurnContext(id(), meta.path("projectId").asText(),
                    meta.path("branch").asText(null), meta.path("worktreePath").asText(null), lastPrompt, turns));
            Instant now = Instant.now();
            String assistantId = assistantMessage(running.text(), now);
            activity("info", "context-window.updated", "Context window updated", mapper.createObjectNode()
                    .put("usedTokens", 1240).put("lastUsedTokens", 1240).put("inputTokens", 1200)
                    .put("outputTokens", 40).put("maxTokens", 200000), turnId(), now);
            checkpoint("ready", assistantId, now);
            endTurn("completed", assistantId, now);
            session("ready", null, null);
        }

        private void fail(String message) {
            Instant now = Instant.now();
            String assistantId = assistantMessage("Starting the task; a failure follows.", now);
            activity("error", "runtime.error", "Runtime error", mapper.createObjectNode().put("message", message),
                    turnId(), now);
            checkpoint("error", assistantId, now);
            endTurn("error", assistantId, now);
            session("error", null, message);
        }

        /** A real T3 ends an interrupted Claude turn as an error with a diagnostic, not as "interrupted". */
        void interrupt(String turnId) {
            if (latestTurn == null || !"running".equals(latestTurn.path("state").asText())) {
                return;
            }
            pending.clear();
            String diagnostic = "[ede_diagnostic] result_type=user last_content_type=n/a stop_reason=null";
            Instant now = Instant.now();
            String assistantId = assistantMessage("Working on it; interrupted.", now);
            activity("error", "runtime.error", "Runtime error", mapper.createObjectNode().put("message", diagnostic),
                    turnId(), now);
            checkpoint("error", assistantId, now);
            endTurn("error", assistantId, now);
            session("error", null, diagnostic);
        }

        void stopSession() {
            pending.clear();
            if (latestTurn != null && "running".equals(latestTurn.path("state").asText())) {
                checkpoint("missing", null, Instant.now());
                endTurn("interrupted", null, Instant.now());
            }
            if (session != null) {
                session("stopped", null, session.path("lastError").asText(null));
            }
        }

        void delete() {
            stopSession();
            deletedAt = Instant.now().toString();
            touch(Instant.now());
        }

        private String turnId() {
            return latestTurn == null ? null : latestTurn.path("turnId").asText();
        }

        private String assistantMessage(String text, Instant at) {
            String id = "assistant:" + UUID.randomUUID();
            messages.add(mapper.createObjectNode().put("id", id).put("role", "assistant").put("text", text)
                    .put("turnId", turnId()).put("streaming", false).put("createdAt", at.toString())
                    .put("updatedAt", at.toString()));
            return id;
        }

        private void checkpoint(String status, String assistantId, Instant at) {
            ObjectNode checkpoint = mapper.createObjectNode().put("turnId", turnId()).put("checkpointTurnCount", turns)
                    .put("checkpointRef", "refs/t3/checkpoints/" + id() + "/turn/" + turns).put("status", status);
            checkpoint.putArray("files");
            checkpoint.put("assistantMessageId", assistantId).put("completedAt", at.toString());
            checkpoints.add(checkpoint);
            activity("info", "checkpoint.captured", "Checkpoint captured",
                    mapper.createObjectNode().put("turnCount", turns).put("status", status), turnId(), at);
        }

        private void endTurn(String state, String assistantId, Instant at) {
            latestTurn.put("state", state).put("completedAt", at.toString()).put("assistantMessageId", assistantId);
            touch(at);
        }

        private void session(String status, String activeTurnId, String lastError) {
            Instant now = Instant.now();
            session = mapper.createObjectNode().put("threadId", id()).put("status", status)
                    .put("providerName", meta.path("modelSelection").path("instanceId").asText("claudeAgent"))
                    .put("providerInstanceId", meta.path("modelSelection").path("instanceId").asText("claudeAgent"))
                    .put("runtimeMode", meta.path("runtimeMode").asText())
                    .put("activeTurnId", activeTurnId).put("lastError", lastError).put("updatedAt", now.toString());
            touch(now);
        }

        private void activity(String tone, String kind, String summary, ObjectNode payload, String turnId, Instant at) {
            activities.add(mapper.createObjectNode().put("id", UUID.randomUUID().toString()).put("tone", tone)
                    .put("kind", kind).put("summary", summary).set("payload", payload));
            activities.getLast().put("turnId", turnId).put("createdAt", at.toString());
            touch(at);
        }

        private void touch(Instant at) {
            if (at.isAfter(updated)) {
                updated = at;
            }
            event(at);
        }

        ObjectNode render(boolean withBodies) {
            ObjectNode thread = meta.deepCopy();
            thread.set("latestTurn", latestTurn == null ? mapper.nullNode() : latestTurn.deepCopy());
            thread.put("updatedAt", updated.toString()).putNull("archivedAt").put("deletedAt", deletedAt);
            ArrayNode m = thread.putArray("messages");
            thread.putArray("proposedPlans");
            ArrayNode a = thread.putArray("activities");
            ArrayNode k = thread.putArray("checkpoints");
            if (withBodies) {
                messages.forEach(x -> m.add(x.deepCopy()));
                activities.forEach(x -> a.add(x.deepCopy()));
                checkpoints.forEach(x -> k.add(x.deepCopy()));
            }
            thread.set("session", session == null ? mapper.nullNode() : session.deepCopy());
            return thread;
        }

        ObjectNode shell() {
            ObjectNode thread = render(false);
            thread.remove(List.of("messages", "activities", "checkpoints", "proposedPlans"));
            String lastUser = messages.stream().filter(x -> "user".equals(x.path("role").asText()))
                    .map(x -> x.path("createdAt").asText()).reduce((x, y) -> y).orElse(null);
            boolean live = session != null && "running".equals(session.path("status").asText());
            thread.put("latestUserMessageAt", lastUser)
                    .put("hasPendingApprovals", live && pending.values().stream()
                            .anyMatch(s -> s.kind() == AgentScript.Kind.REQUEST_APPROVAL))
                    .put("hasPendingUserInput", live && pending.values().stream()
                            .anyMatch(s -> s.kind() == AgentScript.Kind.ASK_QUESTION))
                    .put("hasActionableProposedPlan", false);
            return thread;
        }
    }
}
