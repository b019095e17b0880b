package dev.afk.controlplane.afk.killswitch;

import java.time.OffsetDateTime;

/** One audited change of the kill switch. */
public record KillSwitchChange(boolean engaged, String reason, String changedBy, OffsetDateTime changedAt) {}
