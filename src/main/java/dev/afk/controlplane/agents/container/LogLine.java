package dev.afk.controlplane.agents.container;

/** One line of a container's output; {@code stream} is stdout or stderr. */
public record LogLine(String stream, String text) {}
