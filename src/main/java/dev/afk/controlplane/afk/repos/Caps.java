package dev.afk.controlplane.afk.repos;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * Per-repository budget settings; a null field keeps the built-in value. Enrollment (admins) may
 * set any value; a repository's own workflow file may only tighten them.
 */
@RegisterForReflection
public record Caps(
        @Min(0) @Max(20) Integer maxFixForwardAttempts,
        @Min(1) @Max(1440) Integer fixForwardWindowMinutes,
        @Min(1) @Max(10080) Integer runWallClockMinutes,
        @Min(1) @Max(10080) Integer attemptWallClockMinutes,
        @Min(1) @Max(1440) Integer stallAfterMinutes,
        @Min(1) @Max(10000) Integer maxTurns,
        @DecimalMin("0.01") Double maxCostUsd,
        @Min(1) @Max(1440) Integer ciPendingLimitMinutes) {

    public static final Caps NONE = new Caps(null, null, null, null, null, null, null, null);
}
