package dev.afk.controlplane.afk.registry;

import dev.afk.controlplane.afk.repos.Repo;
import dev.afk.controlplane.afk.repos.RepoAgent;
import dev.afk.controlplane.afk.repos.RepoListener;
import dev.afk.controlplane.afk.repos.RepoStore;
import dev.afk.controlplane.agents.NativeAgents;
import dev.afk.controlplane.common.RepoSlug;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Keeps one {@code afk-implementer} agent per enrolled repository in the agent registry: created
 * on enrollment (and, for repositories enrolled before, at startup), running exactly when the
 * repository is not paused.
 */
@ApplicationScoped
public class ImplementerAgents implements RepoListener, RepoAgent {

    private static final Logger LOG = Logger.getLogger(ImplementerAgents.class);
    private static final int MAX_NAME = 63;

    private final NativeAgents agents;
    private final RepoStore repos;
    private final Pool pool;
    private final Vertx vertx;

    ImplementerAgents(NativeAgents agents, RepoStore repos, Pool pool, Vertx vertx) {
        this.agents = agents;
        this.repos = repos;
        this.pool = pool;
        this.vertx = vertx;
    }

    /**
     * {@code afk-<owner>-<name>}, lower-cased, other characters as hyphens. When that loses
     * information ({@code a/b.c} and {@code a/b-c} would meet) or is too long, a short hash of the
     * slug keeps it unique.
     */
    public static String agentName(RepoSlug repo) {
        String slug = repo.toString().toLowerCase(Locale.ROOT);
        String plain = "afk-" + slug.replace('/', '-');
        String name = plain.replaceAll("[^a-z0-9-]", "-").replaceAll("-{2,}", "-").replaceAll("-$", "");
        if (name.equals(plain) && name.length() <= MAX_NAME) {
            return name;
        }
        String hash = shortHash(slug);
        String base = name.substring(0, Math.min(name.length(), MAX_NAME - hash.length() - 1)).replaceAll("-+$", "");
        return base + "-" + hash;
    }

    @Override
    public String agentOf(RepoSlug repo) {
        return agentName(repo);
    }

    /**
     * Gives a newly enrolled repository its agent, owned by whoever enrolled it. Never fails: the
     * repository is enrolled either way, and a missing agent is created at the next start.
     */
    @Override
    public Uni<Void> enrolled(Repo repo) {
        return agents.ensure(agentName(repo.slug()), repo.enrolledBy(), ImplementerNodeType.NAME, config(repo), !repo.paused())
                .invoke(created -> {
                    if (created) {
                        LOG.infof("Repository %s is agent %s", repo.slug(), agentName(repo.slug()));
                    }
                })
                .onFailure().invoke(e -> LOG.warnf(e, "Repository %s has no agent yet", repo.slug()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Mirrors a pause or a resume on the repository's agent. */
    @Override
    public Uni<Void> pausedChanged(Repo repo) {
        return agents.setRunning(agentName(repo.slug()), ImplementerNodeType.NAME, config(repo), !repo.paused())
                .replaceWithVoid();
    }

    private static Map<String, Object> config(Repo repo) {
        return Map.of(ImplementerNodeType.REPO, repo.slug().toString());
    }

    /** An un-enrolled repository's agent is stopped; deleting it is the registry's own call. */
    @Override
    public Uni<Void> unenrolled(Repo repo) {
        return agents.setRunning(agentName(repo.slug()), ImplementerNodeType.NAME, config(repo), false)
                .onFailure().invoke(e -> LOG.warnf(e, "The agent of un-enrolled %s could not be stopped", repo.slug()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Repositories enrolled before their agents existed get them; runs in the background, retried at next start. */
    void reconcileAtStartup(@Observes StartupEvent started) {
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> repos.list(pool)
                .onItem().transformToMulti(list -> Multi.createFrom().iterable(list))
                .onItem().transformToUniAndConcatenate(this::enrolled)
                .collect().last()
                .subscribe().with(
                        done -> LOG.debug("Enrolled repositories all have their agents"),
                        failure -> LOG.warnf(failure, "Could not give every enrolled repository its agent")));
    }

    private static String shortHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
