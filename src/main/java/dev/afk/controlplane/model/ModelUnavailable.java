package dev.afk.controlplane.model;

import java.time.Duration;
import java.util.Optional;

/**
 * The model could not answer. {@code code} is a stable slug recorded on the task: {@code overloaded},
 * {@code rate_limited}, {@code timeout}, {@code unreachable}, {@code refused} (auth, bad request),
 * {@code no_api_key}.
 */
public class ModelUnavailable extends RuntimeException {

    private final String code;

    public ModelUnavailable(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** Worth asking again after a while: overload, rate limit, a server error, a timeout. */
    public static class Busy extends ModelUnavailable {

        private final Optional<Duration> retryAfter;

        public Busy(String code, String message, Optional<Duration> retryAfter, Throwable cause) {
            super(code, message, cause);
            this.retryAfter = retryAfter;
        }

        /** What the service asked to wait, if it said. */
        public Optional<Duration> retryAfter() {
            return retryAfter;
        }
    }
}
