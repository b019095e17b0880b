package dev.afk.controlplane.model.anthropic;

import dev.afk.controlplane.model.ModelConfig;
import dev.afk.controlplane.model.ModelUnavailable;
import io.smallrye.faulttolerance.api.CustomBackoffStrategy;
import jakarta.enterprise.inject.spi.CDI;
import java.time.Duration;

/**
 * Waits what the model's service asked in {@code retry-after}, else doubles the base delay. A call
 * that asks for more than {@code afk.model.max-retry-after} is not worth holding a task for:
 * {@link AnthropicModel} fails it instead of retrying.
 */
public class RetryAfterBackoff implements CustomBackoffStrategy {

    private long next;

    @Override
    public void init(long initialDelayInMillis) {
        next = initialDelayInMillis;
    }

    @Override
    public long nextDelayInMillis(Throwable exception) {
        long backoff = next;
        next = Math.min(next * 2, maxRetryAfter().toMillis());
        if (exception instanceof ModelUnavailable.Busy busy && busy.retryAfter().isPresent()) {
            return Math.min(busy.retryAfter().get().toMillis(), maxRetryAfter().toMillis());
        }
        return backoff;
    }

    private static Duration maxRetryAfter() {
        return CDI.current().select(ModelConfig.class).get().maxRetryAfter();
    }
}
