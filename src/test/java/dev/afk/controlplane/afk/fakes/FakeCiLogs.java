package dev.afk.controlplane.afk.fakes;

import dev.afk.controlplane.ci.CiLogs;
import dev.afk.controlplane.ci.CiVerdicts.Check;
import dev.afk.controlplane.common.RepoSlug;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** CI logs as a script: per check name, the log text; every read is recorded with its byte bound. */
@Alternative
@Priority(1)
@ApplicationScoped
public class FakeCiLogs implements CiLogs {

    private final Map<String, String> byCheck = new ConcurrentHashMap<>();
    private final List<String> reads = new CopyOnWriteArrayList<>();

    public void log(String checkName, String text) {
        byCheck.put(checkName, text);
    }

    public void forget(String checkName) {
        byCheck.remove(checkName);
    }

    public List<String> reads() {
        return List.copyOf(reads);
    }

    @Override
    public Uni<Optional<String>> tail(RepoSlug repo, Check check, int maxBytes) {
        reads.add(repo + ":" + check.name() + ":" + maxBytes);
        return Uni.createFrom().item(Optional.ofNullable(byCheck.get(check.name())).map(text -> CiLogs.lastBytes(text, maxBytes)));
    }
}
