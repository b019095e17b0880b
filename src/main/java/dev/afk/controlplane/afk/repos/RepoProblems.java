package dev.afk.controlplane.afk.repos;

import dev.afk.controlplane.common.DomainException;
import dev.afk.controlplane.common.RepoSlug;

/** Problems an operator can cause with repository requests. */
public final class RepoProblems {

    private RepoProblems() {}

    public static final class NotEnrolled extends DomainException {
        public NotEnrolled(RepoSlug repo) {
            super(404, "repo-not-enrolled", "Repository not enrolled", repo + " is not enrolled");
        }
    }

    public static final class AlreadyEnrolled extends DomainException {
        public AlreadyEnrolled(RepoSlug repo) {
            super(409, "repo-already-enrolled", "Repository already enrolled", repo + " is already enrolled");
        }
    }

    public static final class HasOpenRun extends DomainException {
        public HasOpenRun(RepoSlug repo, String what) {
            super(409, "repo-has-open-run", "Repository has an open run",
                    repo + " has an open run: " + what + "; cancel the run (or let it finish) first");
        }
    }

    public static final class NotFrozen extends DomainException {
        public NotFrozen(RepoSlug repo) {
            super(409, "repo-not-frozen", "Repository not frozen", repo + " is not frozen");
        }
    }
}
