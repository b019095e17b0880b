package dev.afk.controlplane.tracker.github;

import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.tracker.Permission;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The last permission answer per (repository, user). Only ever a stand-in where the answer does not
 * decide a dispatch: a release is always judged on a fresh (conditional) read (ADR 0017).
 */
final class PermissionCache {

    private record Key(RepoSlug repo, String user) {}

    private final Map<Key, Permission> answers;

    PermissionCache(int capacity) {
        this.answers = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Permission> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized Optional<Permission> get(RepoSlug repo, String user) {
        return Optional.ofNullable(answers.get(new Key(repo, user.toLowerCase())));
    }

    synchronized void put(RepoSlug repo, String user, Permission permission) {
        answers.put(new Key(repo, user.toLowerCase()), permission);
    }
}
