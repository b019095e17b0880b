package dev.afk.controlplane.afk.fakes;

import dev.afk.controlplane.ci.CiVerdicts;
import dev.afk.controlplane.common.RepoSlug;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * CI as a script: per commit a sequence of outcomes (each ask takes the next, the last one
 * sticks), or a per-repository default; PENDING when nothing was scripted.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class FakeCiVerdicts implements CiVerdicts {

    private final Map<String, Deque<Outcome>> bySha = new ConcurrentHashMap<>();
    private final Map<RepoSlug, Outcome> byRepo = new ConcurrentHashMap<>();
    private final List<Target> asked = new CopyOnWriteArrayList<>();

    public void script(String sha, Outcome... outcomes) {
        bySha.put(sha, new ArrayDeque<>(List.of(outcomes)));
    }

    public void defaultFor(RepoSlug repo, Outcome outcome) {
        byRepo.put(repo, outcome);
    }

    public List<Target> asked() {
        return List.copyOf(asked);
    }

    @Override
    public Uni<Verdict> verdict(Target target) {
        return Uni.createFrom().item(() -> {
            asked.add(target);
            Deque<Outcome> script = bySha.get(target.sha());
            Outcome outcome;
            if (script != null) {
                synchronized (script) {
                    outcome = script.size() > 1 ? script.poll() : script.peek();
                }
            } else {
                outcome = byRepo.getOrDefault(target.repo(), Outcome.PENDING);
            }
            List<Check> checks = outcome == Outcome.GREEN ? List.of() : List.of(new Check(Stage.GITHUB_ACTIONS,
                    "build", outcome, URI.create("https://ci.test/" + target.sha()), "build " + outcome.name().toLowerCase()));
            return new Verdict(outcome, checks, "build " + outcome.name().toLowerCase());
        });
    }
}
