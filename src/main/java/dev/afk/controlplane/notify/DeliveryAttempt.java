package dev.afk.controlplane.notify;

import java.time.Duration;
import java.util.Optional;

/** The result of one delivery attempt. Errors never carry a secret (webhook URL, token). */
public sealed interface DeliveryAttempt {

    record Delivered() implements DeliveryAttempt {}

    /** Transient: try again, not before {@code notBefore} when the channel said so (429 Retry-After). */
    record Retry(String error, Optional<Duration> notBefore) implements DeliveryAttempt {}

    /** Permanent: the channel will never accept it (revoked webhook, archived channel, bad payload). */
    record Rejected(String error) implements DeliveryAttempt {}
}
