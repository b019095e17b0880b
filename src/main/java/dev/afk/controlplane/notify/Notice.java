package dev.afk.controlplane.notify;

import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.notify.Doorbell.Kind;
import java.net.URI;

/**
 * A ring as the channels render it: {@code link} is the deep link into the run (or, for an agent's
 * queue item, where to answer it), {@code issueLink} the tracker's page. A ring about an agent
 * rather than an issue has no repository; its {@code message} is the agent's own words, untrusted.
 */
public record Notice(Kind kind, RepoSlug repo, int issue, String title, String message, URI link, URI issueLink,
        String agent) {

    public Notice(Kind kind, RepoSlug repo, int issue, String title, String message, URI link, URI issueLink) {
        this(kind, repo, issue, title, message, link, issueLink, null);
    }

    /** Whether this is about an agent's own item rather than an issue's run. */
    public boolean aboutAgent() {
        return repo == null;
    }

    /** {@code owner/name#42}, or {@code agent <name>} for a ring about an agent. */
    public String issueRef() {
        return repo == null ? "agent " + agent : repo + "#" + issue;
    }

    /** The run's state as people read it. */
    public String state() {
        return switch (kind) {
            case DONE -> "Done";
            case NEEDS_HUMAN -> "Needs a human";
            case FROZEN -> "Frozen";
        };
    }
}
