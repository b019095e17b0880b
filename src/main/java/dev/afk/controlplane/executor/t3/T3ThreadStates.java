package dev.afk.controlplane.executor.t3;

import com.fasterxml.jackson.databind.JsonNode;
import dev.afk.controlplane.executor.Executor.PendingRequest;
import dev.afk.controlplane.executor.Executor.ThreadObservation;
import dev.afk.controlplane.executor.Executor.ThreadStatus;
import dev.afk.controlplane.executor.Executor.Usage;
import dev.afk.controlplane.executor.t3.T3ReadModel.Activity;
import dev.afk.controlplane.executor.t3.T3ReadModel.Message;
import dev.afk.controlplane.executor.t3.T3ReadModel.Session;
import dev.afk.controlplane.executor.t3.T3ReadModel.Turn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Derives a thread's state from T3's read model (t3-api.md §3.2–3.6 and what a real 0.0.27 showed):
 * a pure function, so every rule is unit-tested on recorded threads.
 */
final class T3ThreadStates {

    private static final Set<String> RESOLUTIONS = Set.of("approval.resolved", "user-input.resolved",
            "provider.approval.respond.failed", "provider.user-input.respond.failed");

    private T3ThreadStates() {}

    /**
     * @param thread the thread with its bodies, or null when T3 does not know it
     * @param interruptRequestedAt when we last asked to interrupt it (null if never): T3 often ends an
     *     interrupted turn as {@code error}, and only our own memory tells the two apart
     */
    static ThreadObservation observe(T3ReadModel.Thread thread, Instant interruptRequestedAt) {
        if (thread == null || thread.deletedAt() != null) {
            return ThreadObservation.unknown();
        }
        Session session = thread.session();
        List<PendingRequest> pending = session != null && session.live() ? pending(thread) : List.of();
        Usage usage = usage(thread);
        Instant progress = lastProgress(thread);
        Activity failedStart = failedStart(thread);
        if (failedStart != null) {
            return new ThreadObservation(ThreadStatus.FAILED_TO_START, List.of(), usage, progress,
                    firstLine(failedStart.payload().path("detail").asText(null)));
        }
        if (!pending.isEmpty()) {
            boolean question = pending.stream().anyMatch(p -> p.kind() == PendingRequest.Kind.QUESTION);
            return new ThreadObservation(question ? ThreadStatus.WAITING_FOR_INPUT : ThreadStatus.WAITING_FOR_APPROVAL,
                    pending, usage, progress, null);
        }
        ThreadStatus status = status(thread, interruptRequestedAt);
        String error = status == ThreadStatus.ERRORED ? errorOf(thread) : null;
        return new ThreadObservation(status, List.of(), usage, progress, error);
    }

    private static ThreadStatus status(T3ReadModel.Thread thread, Instant interruptRequestedAt) {
        Session session = thread.session();
        Turn turn = thread.latestTurn();
        if (session != null && session.live()) {
            return ThreadStatus.RUNNING;
        }
        if (turnRequestedButNotStarted(thread)) {
            // latestTurn shows the previous turn (or null) until the provider reports the new one.
            return ThreadStatus.RUNNING;
        }
        if (turn == null) {
            return session != null && "error".equals(session.status()) ? ThreadStatus.ERRORED : ThreadStatus.UNKNOWN;
        }
        String sessionStatus = session == null ? null : session.status();
        return switch (Objects.requireNonNullElse(turn.state(), "")) {
            case "completed" -> ThreadStatus.IDLE_COMPLETED;
            case "interrupted" -> ThreadStatus.INTERRUPTED;
            case "error" -> interruptedByUs(turn, interruptRequestedAt) ? ThreadStatus.INTERRUPTED : ThreadStatus.ERRORED;
            case "running" -> switch (Objects.requireNonNullElse(sessionStatus, "")) {
                case "stopped", "interrupted" -> ThreadStatus.INTERRUPTED;
                case "error" -> ThreadStatus.ERRORED;
                case "ready", "idle" -> ThreadStatus.RUNNING;
                default -> ThreadStatus.UNKNOWN;
            };
            default -> ThreadStatus.UNKNOWN;
        };
    }

    private static boolean interruptedByUs(Turn turn, Instant interruptRequestedAt) {
        return interruptRequestedAt != null
                && (turn.requestedAt() == null || !interruptRequestedAt.isBefore(turn.requestedAt()));
    }

    /** The latest user message is newer than the latest turn: a turn was asked for and has not begun. */
    private static boolean turnRequestedButNotStarted(T3ReadModel.Thread thread) {
        Instant asked = lastUserMessageAt(thread);
        Turn turn = thread.latestTurn();
        return asked != null && (turn == null || turn.requestedAt() == null || turn.requestedAt().isBefore(asked));
    }

    /** A {@code provider.turn.start.failed} for the latest request, with no turn started since. */
    private static Activity failedStart(T3ReadModel.Thread thread) {
        Instant asked = lastUserMessageAt(thread);
        if (asked == null || !turnRequestedButNotStarted(thread)) {
            return null;
        }
        return thread.activities().stream()
                .filter(a -> "provider.turn.start.failed".equals(a.kind()))
                .filter(a -> a.createdAt() != null && !a.createdAt().isBefore(asked))
                .reduce((first, second) -> second)
                .orElse(null);
    }

    private static Instant lastUserMessageAt(T3ReadModel.Thread thread) {
        return thread.messages().stream()
                .filter(m -> "user".equals(m.role()))
                .map(Message::createdAt)
                .filter(Objects::nonNull)
                .max(Comparator.naturalOrder())
                .orElse(null);
    }

    /** Requests asked for and neither resolved nor failed (a failed answer means the request died). */
    static List<PendingRequest> pending(T3ReadModel.Thread thread) {
        Set<String> resolved = new HashSet<>();
        for (Activity a : thread.activities()) {
            if (RESOLUTIONS.contains(a.kind()) && a.requestId() != null) {
                resolved.add(a.requestId());
            }
        }
        List<PendingRequest> pending = new ArrayList<>();
        for (Activity a : thread.activities()) {
            String requestId = a.requestId();
            if (requestId == null || resolved.contains(requestId)) {
                continue;
            }
            if ("user-input.requested".equals(a.kind())) {
                pending.add(question(requestId, a.payload()));
            } else if ("approval.requested".equals(a.kind())) {
                pending.add(approval(requestId, a.payload()));
            }
        }
        return List.copyOf(pending);
    }

    private static PendingRequest question(String requestId, JsonNode payload) {
        List<String> ids = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (JsonNode q : payload.path("questions")) {
            String question = q.path("question").asText(q.path("id").asText(""));
            ids.add(q.path("id").asText(question));
            List<String> options = new ArrayList<>();
            q.path("options").forEach(o -> options.add(o.path("label").asText()));
            lines.add(options.isEmpty() ? question : question + " [" + String.join(" | ", options) + "]");
        }
        return new PendingRequest(requestId, PendingRequest.Kind.QUESTION, String.join("\n", lines), List.copyOf(ids));
    }

    private static PendingRequest approval(String requestId, JsonNode payload) {
        String kind = payload.path("requestKind").asText(payload.path("requestType").asText("action"));
        String detail = payload.path("detail").asText("");
        return new PendingRequest(requestId, PendingRequest.Kind.APPROVAL,
                detail.isEmpty() ? kind : kind + ": " + detail, List.of());
    }

    /**
     * Tokens from the last {@code context-window.updated} of each turn, summed; turns counted by
     * distinct turn ids. T3 reports no cost.
     */
    static Usage usage(T3ReadModel.Thread thread) {
        Map<String, JsonNode> lastWindowByTurn = new LinkedHashMap<>();
        Set<String> turns = new LinkedHashSet<>();
        for (Activity a : thread.activities()) {
            if (a.turnId() != null) {
                turns.add(a.turnId());
                if ("context-window.updated".equals(a.kind())) {
                    lastWindowByTurn.put(a.turnId(), a.payload());
                }
            }
        }
        thread.messages().stream().map(Message::turnId).filter(Objects::nonNull).forEach(turns::add);
        if (thread.latestTurn() != null && thread.latestTurn().turnId() != null) {
            turns.add(thread.latestTurn().turnId());
        }
        Long input = sum(lastWindowByTurn.values(), "inputTokens");
        Long output = sum(lastWindowByTurn.values(), "outputTokens");
        return new Usage(input, output, null, turns.isEmpty() ? null : turns.size());
    }

    private static Long sum(Iterable<JsonNode> payloads, String field) {
        Long total = null;
        for (JsonNode p : payloads) {
            if (p.path(field).isNumber()) {
                total = (total == null ? 0 : total) + p.path(field).asLong();
            }
        }
        return total;
    }

    private static Instant lastProgress(T3ReadModel.Thread thread) {
        Stream<Instant> times = Stream.of(
                Stream.of(thread.updatedAt()),
                thread.session() == null ? Stream.<Instant>empty() : Stream.of(thread.session().updatedAt()),
                thread.latestTurn() == null ? Stream.<Instant>empty()
                        : Stream.of(thread.latestTurn().startedAt(), thread.latestTurn().completedAt()),
                thread.messages().stream().map(Message::updatedAt),
                thread.activities().stream().map(Activity::createdAt)).flatMap(s -> s);
        return times.filter(Objects::nonNull).max(Comparator.naturalOrder()).orElse(null);
    }

    private static String errorOf(T3ReadModel.Thread thread) {
        if (thread.session() != null && thread.session().lastError() != null) {
            return firstLine(thread.session().lastError().strip());
        }
        return thread.activities().stream()
                .filter(a -> "runtime.error".equals(a.kind()))
                .map(a -> a.payload().path("message").asText(null))
                .filter(Objects::nonNull)
                .reduce((first, second) -> second)
                .map(T3ThreadStates::firstLine)
                .orElse(null);
    }

    private static String firstLine(String text) {
        if (text == null) {
            return null;
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
