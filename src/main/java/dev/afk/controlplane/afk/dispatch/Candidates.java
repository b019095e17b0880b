package dev.afk.controlplane.afk.dispatch;

import dev.afk.controlplane.afk.repos.Repo;
import dev.afk.controlplane.tracker.Issue;
import dev.afk.controlplane.tracker.IssueTracker;
import dev.afk.controlplane.tracker.Permission;
import io.smallrye.mutiny.Uni;

/** Reads the facts the policy needs about one issue: who labelled it last, their permission, its blockers, its last close. */
final class Candidates {

    private Candidates() {}

    static Uni<Candidate> gather(IssueTracker tracker, Repo repo, Issue issue) {
        return tracker.lastLabeled(repo.slug(), issue.number(), repo.labels().ready())
                .chain(labelled -> labelled
                        // The timeline names the actor; the permission endpoint says whether they may release (G6).
                        .map(event -> tracker.permission(repo.slug(), event.actor()))
                        .orElse(Uni.createFrom().item(Permission.NONE))
                        .chain(permission -> tracker.blockers(repo.slug(), issue)
                                .map(blockers -> new Candidate(issue, labelled, permission, blockers))))
                .chain(candidate -> tracker.lastClosed(repo.slug(), issue.number()).map(candidate::withLastClosed));
    }
}
