package dev.afk.controlplane.agents;

import java.util.List;
import java.util.Map;

/**
 * One page of the agent list.
 *
 * @param sources     each source of the listing and whether it answered ("available" / "unavailable")
 * @param unavailable the sources that did not answer; their agents' status is {@code unknown}
 */
public record AgentPage(List<AgentView> items, int page, int size, int total, Map<String, String> sources,
        List<String> unavailable) {}
