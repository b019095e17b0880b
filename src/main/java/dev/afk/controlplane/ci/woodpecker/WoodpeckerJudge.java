package dev.afk.controlplane.ci.woodpecker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.afk.controlplane.ci.CiUnavailableException;
import dev.afk.controlplane.ci.CiVerdicts.Stage;
import dev.afk.controlplane.ci.CiVerdicts.Target;
import dev.afk.controlplane.ci.CiVerdicts.Verdict;
import dev.afk.controlplane.ci.StageJudge;
import dev.afk.controlplane.ci.woodpecker.WoodpeckerApi.Pipeline;
import dev.afk.controlplane.ci.woodpecker.WoodpeckerApi.Repo;
import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.common.RestClients;
import dev.afk.controlplane.common.SecretFile;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Woodpecker stage: the newest pipeline of the commit on the default branch (the deploy
 * pipeline). Repository ids are looked up by full name once and remembered.
 */
@ApplicationScoped
public class WoodpeckerJudge implements StageJudge {

    private static final int PAGE_SIZE = 50;
    private static final TypeReference<List<Pipeline>> PIPELINES = new TypeReference<>() {};
    private static final TypeReference<Repo> REPO = new TypeReference<>() {};

    private final WoodpeckerConfig config;
    private final Vertx vertx;
    private final ObjectMapper json;
    /** Empty when no server is configured. */
    private final Optional<WoodpeckerClient> web;
    private final Map<RepoSlug, Repo> repos = new ConcurrentHashMap<>();

    WoodpeckerJudge(WoodpeckerConfig config, Vertx vertx, ObjectMapper json) {
        this.config = config;
        this.vertx = vertx;
        this.json = json;
        this.web = config.url().map(url -> RestClients.create(WoodpeckerClient.class, url, config.timeout(), config.timeout()));
    }

    @Override
    public Stage stage() {
        return Stage.WOODPECKER;
    }

    @Override
    public Uni<Verdict> judge(Target target) {
        if (web.isEmpty()) {
            return Uni.createFrom().failure(new CiUnavailableException(Stage.WOODPECKER,
                    "the repository has a woodpecker stage but afk.ci.woodpecker.url is not set"));
        }
        return SecretFile.read(vertx, config.tokenFile()).flatMap(token -> repo(target.repo(), token)
                .flatMap(repo -> {
                    String branch = target.defaultBranch() != null ? target.defaultBranch() : repo.defaultBranch();
                    return newestPipeline(repo, branch, target.sha(), token, 1)
                            .map(pipeline -> PipelineVerdict.of(pipeline, branch,
                                    pipeline.map(p -> link(repo, p)).orElse(null)));
                }));
    }

    /** Forgets a cached id the server no longer knows (a repository re-activated under a new id). */
    private Uni<Repo> repo(RepoSlug slug, Optional<String> token) {
        Repo known = repos.get(slug);
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return get(web.get().lookup(bearer(token), slug.owner(), slug.name())).map(body -> {
            Repo repo = read(body, REPO);
            repos.put(slug, repo);
            return repo;
        });
    }

    private Uni<Optional<Pipeline>> newestPipeline(Repo repo, String branch, String sha, Optional<String> token, int page) {
        return get(web.get().pipelines(bearer(token), repo.id(), branch, page, PAGE_SIZE))
                .onFailure(NotFound.class).invoke(() -> repos.values().remove(repo))
                .flatMap(body -> {
                    List<Pipeline> pipelines = read(body, PIPELINES);
                    Optional<Pipeline> newest = pipelines.stream().filter(p -> sha.equals(p.commit()))
                            .max(Comparator.comparingLong(Pipeline::number));
                    boolean more = pipelines.size() == PAGE_SIZE && page < config.maxPages();
                    return newest.isPresent() || !more ? Uni.createFrom().item(newest)
                            : newestPipeline(repo, branch, sha, token, page + 1);
                });
    }

    private static String bearer(Optional<String> token) {
        return token.map(t -> "Bearer " + t).orElse(null);
    }

    private static Uni<String> get(Uni<Response> call) {
        return call
                .onFailure().transform(e -> new CiUnavailableException(Stage.WOODPECKER,
                        "Woodpecker did not answer: " + e.getClass().getSimpleName()))
                .map(response -> switch (response.getStatus()) {
                    case 200 -> response.readEntity(String.class);
                    case 404 -> throw new NotFound();
                    default -> throw new CiUnavailableException(Stage.WOODPECKER, "Woodpecker answered HTTP " + response.getStatus());
                });
    }

    private <T> T read(String body, TypeReference<T> type) {
        try {
            return json.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw new CiUnavailableException(Stage.WOODPECKER, "Woodpecker answered a body we cannot read");
        }
    }

    private URI link(Repo repo, Pipeline pipeline) {
        return URI.create(base() + "/repos/" + repo.id() + "/pipeline/" + pipeline.number());
    }

    private String base() {
        String root = config.url().orElseThrow().toString();
        return root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    }

    /** 404: the repository is not active in Woodpecker (or no longer under the id we remembered). */
    private static final class NotFound extends CiUnavailableException {
        NotFound() {
            super(Stage.WOODPECKER, "repository not found in Woodpecker (is it activated?)");
        }
    }
}
