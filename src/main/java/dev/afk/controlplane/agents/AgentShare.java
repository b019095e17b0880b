package dev.afk.controlplane.agents;

import java.time.OffsetDateTime;

/** An agent shared with someone, by e-mail. */
public record AgentShare(String agent, String email, String sharedBy, OffsetDateTime sharedAt) {}
