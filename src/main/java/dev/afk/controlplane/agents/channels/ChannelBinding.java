package dev.afk.controlplane.agents.channels;

import java.time.Instant;

/**
 * An agent's binding as the API shows it: a Slack webhook URL masked (only its host shows: the URL
 * is the credential), an ntfy topic and server in full.
 */
public record ChannelBinding(String channel, String target, String server, String createdBy, Instant createdAt) {}
