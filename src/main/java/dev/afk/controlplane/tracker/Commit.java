package dev.afk.controlplane.tracker;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A commit with its message's trailers (e.g. {@code AFK-Run}, {@code Refs}) parsed by git's rules. */
public record Commit(String sha, String message, Map<String, List<String>> trailers, Instant committedAt) {

    public List<String> trailer(String key) {
        return trailers.getOrDefault(key, List.of());
    }
}
