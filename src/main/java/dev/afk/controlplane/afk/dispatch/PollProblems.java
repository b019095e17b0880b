package dev.afk.controlplane.afk.dispatch;

import dev.afk.controlplane.common.DomainException;
import dev.afk.controlplane.common.RepoSlug;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Why polling a repository last failed, per repository, for the status surfaces. A problem is
 * logged once, as one line, when it appears or changes, and once more when it clears: a missing
 * setting fails every tick, and a log line per tick would bury it. Kept in memory: each replica
 * reports what it saw with its own configuration.
 */
@ApplicationScoped
public class PollProblems {

    private static final Logger LOG = Logger.getLogger(PollProblems.class);

    /** What went wrong, in words fit for an operator, and since when. */
    public record PollProblem(String detail, Instant since) {}

    private final Map<RepoSlug, PollProblem> problems = new ConcurrentHashMap<>();
    private final Clock clock;

    PollProblems(Clock clock) {
        this.clock = clock;
    }

    public Optional<PollProblem> of(RepoSlug repo) {
        return Optional.ofNullable(problems.get(repo));
    }

    void failed(RepoSlug repo, Throwable failure) {
        String detail = failure instanceof DomainException problem ? problem.detail() : "unexpected failure: " + failure;
        PollProblem before = problems.get(repo);
        if (before != null && before.detail().equals(detail)) {
            return;
        }
        problems.put(repo, new PollProblem(detail, clock.instant()));
        if (failure instanceof DomainException) {
            LOG.warnf("polling %s fails: %s (reported once; see the repository's pollProblem)", repo, detail);
        } else {
            // Not one of ours: the stack trace is worth having, once.
            LOG.warnf(failure, "polling %s fails (reported once; see the repository's pollProblem)", repo);
        }
    }

    void succeeded(RepoSlug repo) {
        if (problems.remove(repo) != null) {
            LOG.infof("polling %s works again", repo);
        }
    }
}
