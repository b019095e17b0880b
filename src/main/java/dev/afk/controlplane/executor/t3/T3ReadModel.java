package dev.afk.controlplane.executor.t3;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The part of T3's read model the adapter uses, parsed leniently: unknown fields are ignored,
 * missing ones become null, enum values stay strings so an unknown one maps to "unknown" later.
 */
record T3ReadModel(Map<String, Project> projects, Map<String, Thread> threads) {

    record Project(String id, Instant deletedAt) {}

    record Thread(String id, String projectId, Instant updatedAt, Instant deletedAt, Session session,
            Turn latestTurn, List<Message> messages, List<Activity> activities) {

        Optional<Message> message(String messageId) {
            return messages.stream().filter(m -> messageId.equals(m.id())).findFirst();
        }
    }

    record Session(String status, String activeTurnId, String lastError, Instant updatedAt) {
        boolean live() {
            return "running".equals(status) || "starting".equals(status);
        }
    }

    record Turn(String turnId, String state, Instant requestedAt, Instant startedAt, Instant completedAt) {}

    record Message(String id, String role, String turnId, Instant createdAt, Instant updatedAt) {}

    record Activity(String kind, String turnId, JsonNode payload, Instant createdAt) {
        String requestId() {
            return payload.path("requestId").asText(null);
        }
    }

    /** A snapshot or a shell: {@code projects} and {@code threads} arrays (shell threads have no bodies). */
    static T3ReadModel parse(JsonNode root) {
        Map<String, Project> projects = new LinkedHashMap<>();
        for (JsonNode p : root.path("projects")) {
            String id = p.path("id").asText(null);
            if (id != null) {
                projects.put(id, new Project(id, instant(p.path("deletedAt"))));
            }
        }
        Map<String, Thread> threads = new LinkedHashMap<>();
        for (JsonNode t : root.path("threads")) {
            Thread thread = thread(t);
            if (thread.id() != null) {
                threads.put(thread.id(), thread);
            }
        }
        return new T3ReadModel(projects, threads);
    }

    static Thread thread(JsonNode t) {
        List<Message> messages = new ArrayList<>();
        for (JsonNode m : t.path("messages")) {
            messages.add(new Message(text(m, "id"), text(m, "role"), text(m, "turnId"),
                    instant(m.path("createdAt")), instant(m.path("updatedAt"))));
        }
        List<Activity> activities = new ArrayList<>();
        for (JsonNode a : t.path("activities")) {
            activities.add(new Activity(text(a, "kind"), text(a, "turnId"), a.path("payload"), instant(a.path("createdAt"))));
        }
        JsonNode s = t.path("session");
        Session session = s.isObject()
                ? new Session(text(s, "status"), text(s, "activeTurnId"), text(s, "lastError"), instant(s.path("updatedAt")))
                : null;
        JsonNode l = t.path("latestTurn");
        Turn turn = l.isObject()
                ? new Turn(text(l, "turnId"), text(l, "state"), instant(l.path("requestedAt")),
                        instant(l.path("startedAt")), instant(l.path("completedAt")))
                : null;
        return new Thread(text(t, "id"), text(t, "projectId"), instant(t.path("updatedAt")), instant(t.path("deletedAt")),
                session, turn, List.copyOf(messages), List.copyOf(activities));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.isNull() ? value.asText() : null;
    }

    private static Instant instant(JsonNode node) {
        if (!node.isTextual()) {
            return null;
        }
        try {
            return Instant.parse(node.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
