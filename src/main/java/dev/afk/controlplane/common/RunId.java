package dev.afk.controlplane.common;

import java.util.Objects;
import java.util.UUID;

/**
 * A run's id: a UUID, minted when the run is queued. Parsed once at the edge (a REST path, a stored
 * row); everything inside passes this type, never a bare string. Its text is the plain UUID, as in
 * API bodies, commit trailers, worktree names and logs.
 */
public record RunId(UUID value) {

    public RunId {
        Objects.requireNonNull(value, "value");
    }

    public static RunId random() {
        return new RunId(UUID.randomUUID());
    }

    /** Parses a run id; throws IllegalArgumentException for anything but a UUID. */
    public static RunId parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("not a run id: null");
        }
        try {
            return new RunId(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a run id: " + text, e);
        }
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
