package dev.afk.controlplane.afk.killswitch;

import java.time.OffsetDateTime;

/**
 * The kill switch as the pipeline sees it. {@code engaged} is the effective value: true when an
 * operator engaged it or when configuration forces it ({@code forced}).
 */
public record KillSwitchState(boolean engaged, boolean forced, String reason, String changedBy, OffsetDateTime changedAt) {}
