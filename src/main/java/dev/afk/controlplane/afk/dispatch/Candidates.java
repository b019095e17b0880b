package dev.afk.controlplane.afk.dispatch;

import dev.afk.controlplane.afk.repos.Repo;
import dev.afk.controlplane.tracker.Issue;
import dev.afk.controlplane.tracker.IssueTracker;
import dev.afk.controlplane.tracker.Permission;
import io.smallrye.mutiny.Uni;

/** Reads the facts the policy needs about one issue: who labelled it last, their permission, its blockers, its last close. */
final class Candidates {

    private Candidates() {}

    /**
     * The labeller's permission is the tracker's last answer when it has one: an issue waiting for
     * something else does not cost a permission read every poll. {@link #confirmTrust} reads it
     * afresh whenever it is what decides.
     */
    static Uni<Candidate> gather(IssueTracker tracker, Repo repo, Issue issue) {
        return tracker.lastLabeled(repo.slug(), issue.number(), repo.labels().ready())
                .chain(labelled -> labelled
                        // The timeline names the actor; the permission endpoint says whether they may release (G6).
                        .map(event -> tracker.knownPermission(repo.slug(), event.actor())
                                .map(known -> Uni.createFrom().item(known))
                                .orElseGet(() -> tracker.permission(repo.slug(), event.actor())))
                        .orElse(Uni.createFrom().item(Permission.NONE))
                        .chain(permission -> tracker.blockers(repo.slug(), issue)
                                .map(blockers -> new Candidate(issue, labelled, permission, blockers))))
                .chain(candidate -> tracker.lastClosed(repo.slug(), issue.number()).map(candidate::withLastClosed));
    }

    /**
     * Reads the labeller's permission again if it decides the verdict, that is if a trusted labeller
     * would have the issue dispatched: a permission granted or withdrawn is seen at the next poll, and
     * no release rests on a remembered answer (ADR 0017).
     */
    static Uni<Candidate> confirmTrust(IssueTracker tracker, Repo repo, Gates gates, Candidate candidate) {
        if (candidate.lastLabelled().isEmpty()
                || !DispatchPolicy.evaluate(gates, candidate.withLabellerPermission(Permission.WRITE)).dispatch()) {
            return Uni.createFrom().item(candidate);
        }
        return tracker.permission(repo.slug(), candidate.lastLabelled().get().actor()).map(candidate::withLabellerPermission);
    }
}
