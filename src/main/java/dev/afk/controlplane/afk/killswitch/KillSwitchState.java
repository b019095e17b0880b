package dev.afk.controlplane.afk.killswitch;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;

/**
 * The kill switch as the pipeline sees it. {@code engaged} is the effective value: true when an
 * operator engaged it or when configuration forces it ({@code forced}). {@code interruptedTurns}
 * answers an engage that asked to interrupt the running turns: how many the executor acknowledged.
 */
public record KillSwitchState(boolean engaged, boolean forced, String reason, String changedBy, OffsetDateTime changedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer interruptedTurns) {

    public KillSwitchState(boolean engaged, boolean forced, String reason, String changedBy, OffsetDateTime changedAt) {
        this(engaged, forced, reason, changedBy, changedAt, null);
    }

    KillSwitchState withInterruptedTurns(int count) {
        return new KillSwitchState(engaged, forced, reason, changedBy, changedAt, count);
    }
}
