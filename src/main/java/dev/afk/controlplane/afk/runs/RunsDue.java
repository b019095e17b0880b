package dev.afk.controlplane.afk.runs;

/** Runs were made due now (queued, or brought forward by an event): this replica may reconcile at once. */
public record RunsDue() {
}
