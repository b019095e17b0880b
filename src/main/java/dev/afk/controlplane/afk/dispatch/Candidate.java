package dev.afk.controlplane.afk.dispatch;

import dev.afk.controlplane.tracker.Blocker;
import dev.afk.controlplane.tracker.Issue;
import dev.afk.controlplane.tracker.LabelEvent;
import dev.afk.controlplane.tracker.Permission;
import java.util.List;
import java.util.Optional;

/**
 * An issue with the facts the policy judges it by, read from the tracker.
 *
 * @param lastLabelled the most recent application of the ready label (actor from the timeline)
 * @param labellerPermission that actor's permission on the repository ({@code NONE} if never labelled)
 */
public record Candidate(Issue issue, Optional<LabelEvent> lastLabelled, Permission labellerPermission, List<Blocker> blockers) {}
