package dev.afk.controlplane.github;

import dev.afk.controlplane.common.DomainException;

/** GitHub did not give a usable answer (after the retries it deserved). Never carries a secret. */
public class GitHubUnavailable extends DomainException {

    private final int upstreamStatus;

    public GitHubUnavailable(int upstreamStatus, String detail) {
        super(502, "github-unavailable", "GitHub is unavailable", detail);
        this.upstreamStatus = upstreamStatus;
    }

    /** The status GitHub answered, or 0 when it did not answer at all. */
    public int upstreamStatus() {
        return upstreamStatus;
    }
}
