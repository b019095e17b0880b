package dev.afk.controlplane.afk.fakes;

import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.notify.Doorbell;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** An outbox in memory: rings kept in order, a repeated dedup key ignored, as the real one does. */
@Alternative
@Priority(1)
@ApplicationScoped
public class FakeDoorbell implements Doorbell {

    private final Map<String, Ring> byKey = new ConcurrentHashMap<>();
    private final List<Ring> rings = new CopyOnWriteArrayList<>();

    @Override
    public Uni<Void> ring(Ring ring) {
        return Uni.createFrom().item(() -> {
            if (byKey.putIfAbsent(ring.dedupKey(), ring) == null) {
                rings.add(ring);
            }
            return null;
        });
    }

    public List<Ring> rings(RepoSlug repo) {
        return rings.stream().filter(r -> repo.equals(r.repo())).toList();
    }

    public List<Kind> kinds(RepoSlug repo) {
        return rings(repo).stream().map(Ring::kind).toList();
    }
}
