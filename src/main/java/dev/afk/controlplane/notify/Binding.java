package dev.afk.controlplane.notify;

import java.net.URI;
import java.util.Optional;

/**
 * Where one agent's own binding of a channel sends: a Slack incoming-webhook URL (a credential), or
 * an ntfy topic on {@code server} (empty: the install's server).
 */
public record Binding(String target, Optional<URI> server) {

    @Override
    public String toString() {
        // Never the target: a webhook URL is a secret.
        return "Binding[" + server.map(URI::toString).orElse("install") + "]";
    }
}
