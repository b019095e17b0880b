package dev.afk.controlplane.notify;

import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.notify.Doorbell.Kind;
import java.net.URI;

/** A ring as the channels render it: {@code link} is the deep link into the run, {@code issueLink} the tracker's page. */
public record Notice(Kind kind, RepoSlug repo, int issue, String title, String message, URI link, URI issueLink) {

    /** {@code owner/name#42}. */
    public String issueRef() {
        return repo + "#" + issue;
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
