package dev.afk.controlplane.tracker.github;

import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.tracker.Permission;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Permission answers per (repository, user) for a few minutes: trust is checked often, changes rarely. */
final class PermissionCache {

    private record Key(RepoSlug repo, String user) {}

    private record Answer(Permission permission, Instant expires) {}

    private final Duration ttl;
    private final Clock clock;
    private final Map<Key, Answer> answers;

    PermissionCache(Duration ttl, int capacity, Clock clock) {
        this.ttl = ttl;
        this.clock = clock;
        this.answers = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Answer> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized Optional<Permission> get(RepoSlug repo, String user) {
        Key key = new Key(repo, user.toLowerCase());
        Answer answer = answers.get(key);
        if (answer == null || !clock.instant().isBefore(answer.expires())) {
            answers.remove(key);
            return Optional.empty();
        }
        return Optional.of(answer.permission());
    }

    synchronized void put(RepoSlug repo, String user, Permission permission) {
        answers.put(new Key(repo, user.toLowerCase()), new Answer(permission, clock.instant().plus(ttl)));
    }
}
