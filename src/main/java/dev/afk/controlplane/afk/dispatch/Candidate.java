package dev.afk.controlplane.afk.dispatch;

import dev.afk.controlplane.tracker.Blocker;
import dev.afk.controlplane.tracker.Issue;
import dev.afk.controlplane.tracker.LabelEvent;
import dev.afk.controlplane.tracker.Permission;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An issue with the facts the policy judges it by, read from the tracker and the pipeline's store.
 *
 * @param lastLabelled the most recent application of the ready label (actor from the timeline)
 * @param labellerPermission that actor's permission on the repository ({@code NONE} if never labelled)
 * @param lastClosed when the issue was last closed, if ever
 * @param pin what that label event released, once the pipeline has seen it
 */
public record Candidate(Issue issue, Optional<LabelEvent> lastLabelled, Permission labellerPermission, List<Blocker> blockers,
        Optional<Instant> lastClosed, Optional<Pin> pin) {

    public Candidate(Issue issue, Optional<LabelEvent> lastLabelled, Permission labellerPermission, List<Blocker> blockers) {
        this(issue, lastLabelled, labellerPermission, blockers, Optional.empty(), Optional.empty());
    }

    Candidate withPin(Optional<Pin> pin) {
        return new Candidate(issue, lastLabelled, labellerPermission, blockers, lastClosed, pin);
    }

    Candidate withLabellerPermission(Permission permission) {
        return new Candidate(issue, lastLabelled, permission, blockers, lastClosed, pin);
    }

    Candidate withLastClosed(Optional<Instant> closed) {
        return new Candidate(issue, lastLabelled, labellerPermission, blockers, closed, pin);
    }
}
