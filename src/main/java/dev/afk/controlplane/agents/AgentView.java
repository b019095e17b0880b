package dev.afk.controlplane.agents;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.afk.controlplane.agents.runtime.RuntimeKind;
import java.time.Instant;
import java.util.List;

/**
 * One agent in a listing: identity from the database, status from its runtime.
 *
 * @param status      running, stopped, missing (container gone), unknown (engine unavailable), or an
 *                    engine state passed through
 * @param needsStart  a container agent whose container does not exist
 * @param orphan      a labelled container no agent row claims (admins only)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AgentView(String name, RuntimeKind runtimeKind, String harness, String nodeType, String owner,
        List<String> tags, String status, String desiredState, boolean needsStart, boolean orphan, String containerId,
        String image, Instant createdAt) {}
