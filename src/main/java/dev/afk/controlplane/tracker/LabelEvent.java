package dev.afk.controlplane.tracker;

import java.time.Instant;

/** A label applied to an issue: by whom and when. */
public record LabelEvent(String label, String actor, Instant at) {}
