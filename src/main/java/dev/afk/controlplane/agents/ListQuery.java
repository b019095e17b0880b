package dev.afk.controlplane.agents;

import dev.afk.controlplane.agents.runtime.RuntimeKind;
import java.util.Set;

/**
 * Filters and page of the agent list.
 *
 * @param tags any of these (empty: no filter)
 */
record ListQuery(RuntimeKind kind, String status, Set<String> tags, int page, int size) {}
