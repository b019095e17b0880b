package dev.afk.controlplane.github;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Validators and bodies of earlier answers, per URL, so a repeated read is a conditional request
 * and a 304 (free of rate limit) reuses the stored body. Bounded: the least recently used URL goes.
 */
public final class ConditionalCache {

    /** What GitHub sent with a 200: its validators, body and the next page's URL. */
    public record Entry(String etag, String lastModified, String body, Optional<String> nextPage) {}

    private final Map<String, Entry> entries;

    public ConditionalCache(int capacity) {
        this.entries = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ConditionalCache.Entry> eldest) {
                return size() > capacity;
            }
        };
    }

    public synchronized Optional<Entry> get(String url) {
        return Optional.ofNullable(entries.get(url));
    }

    public synchronized void put(String url, Entry entry) {
        if (entry.etag() == null && entry.lastModified() == null) {
            entries.remove(url);
        } else {
            entries.put(url, entry);
        }
    }

    public synchronized int size() {
        return entries.size();
    }
}
