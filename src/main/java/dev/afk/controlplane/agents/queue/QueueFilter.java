package dev.afk.controlplane.agents.queue;

/** A listing's filter; null fields do not filter. */
public record QueueFilter(String agent, String kind, String state, String addressee, int page, int size) {}
