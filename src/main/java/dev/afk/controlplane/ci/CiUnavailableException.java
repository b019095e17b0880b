package dev.afk.controlplane.ci;

import dev.afk.controlplane.ci.CiVerdicts.Stage;
import java.time.Duration;
import java.util.Optional;

/**
 * A stage could not be observed: the verdict is unknown, not pending. The caller retries later;
 * {@link #retryAfter()} says when, if the provider told us (rate limits).
 */
public class CiUnavailableException extends RuntimeException {

    private final Stage stage;
    private final Duration retryAfter;

    public CiUnavailableException(Stage stage, String message, Duration retryAfter) {
        super(stage.label() + ": " + message);
        this.stage = stage;
        this.retryAfter = retryAfter;
    }

    public CiUnavailableException(Stage stage, String message) {
        this(stage, message, null);
    }

    public Stage stage() {
        return stage;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
