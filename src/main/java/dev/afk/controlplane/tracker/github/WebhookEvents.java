package dev.afk.controlplane.tracker.github;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which deliveries are worth a poll of their repository: issue label, state and content changes
 * (dispatch, cancellation, and a release whose text changed after the label), pushes (the run's commits) and CI outcomes. The reason names what happened.
 */
public final class WebhookEvents {

    /** Event → the actions that matter; an empty set means every action does. */
    private static final Map<String, Set<String>> RELEVANT = Map.of(
            "issues", Set.of("labeled", "unlabeled", "closed", "reopened", "opened", "edited"),
            "push", Set.of(),
            "check_run", Set.of(),
            "check_suite", Set.of(),
            "workflow_run", Set.of(),
            "status", Set.of());

    private WebhookEvents() {}

    /** Whether this kind of event is one we subscribe to at all. */
    public static boolean known(String event) {
        return RELEVANT.containsKey(event) || "ping".equals(event);
    }

    /** The reason to signal the repository, e.g. {@code issues.labeled}; empty if the delivery changes nothing for us. */
    public static Optional<String> reason(String event, JsonObject payload) {
        Set<String> actions = RELEVANT.get(event);
        if (actions == null) {
            return Optional.empty();
        }
        String action = payload.getValue("action") instanceof String a ? a : null;
        if (!actions.isEmpty() && !actions.contains(action)) {
            return Optional.empty();
        }
        return Optional.of(action == null ? event : event + "." + action);
    }
}
