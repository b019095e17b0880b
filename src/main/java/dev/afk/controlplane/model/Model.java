package dev.afk.controlplane.model;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.Map;

/**
 * A language model, asked for one structured answer. Adapters (model.anthropic) are the only code
 * that knows a vendor's wire format. Implementations never block the calling thread.
 */
public interface Model {

    /**
     * Asks once (an adapter may retry overloads and rate limits within its bounds). Fails with
     * {@link ModelUnavailable} when the service cannot answer.
     */
    Uni<Answer> ask(Request request);

    /**
     * One question. The answer must come as the input of {@code tool} (a JSON schema the model is
     * forced to fill), so it can be parsed strictly.
     */
    record Request(String model, int maxOutputTokens, Duration timeout, String system, String user, Tool tool) {}

    /** The structured answer's shape: a tool the model must call, with a JSON schema for its input. */
    record Tool(String name, String description, Map<String, Object> inputSchema) {}

    /**
     * What came back: the forced tool's input as JSON text (null when the model did not call it), why
     * it stopped, and the tokens it used.
     */
    record Answer(String model, String toolInputJson, String stopReason, long inputTokens, long outputTokens) {}
}
