package dev.afk.controlplane.ci.woodpecker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.afk.controlplane.ci.CiLogsConfig;
import dev.afk.controlplane.ci.CiLogs;
import dev.afk.controlplane.ci.CiVerdicts.Check;
import dev.afk.controlplane.ci.CiVerdicts.Stage;
import dev.afk.controlplane.ci.LogDownload;
import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.common.RestClients;
import dev.afk.controlplane.common.SecretFile;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The end of a failed Woodpecker step's log. The check names the step ({@code workflow/step}) and
 * links the pipeline ({@code /repos/{id}/pipeline/{number}}, as {@link WoodpeckerJudge} builds it):
 * the pipeline gives the step's id, and {@code GET /api/repos/{id}/logs/{number}/{step_id}/download}
 * its log as plain text, read bounded in bytes and time. A failed workflow without a failed step
 * (a configuration error) has no step log.
 */
@ApplicationScoped
public class WoodpeckerStepLogs implements CiLogs.StageLogs {

    private static final Logger LOG = Logger.getLogger(WoodpeckerStepLogs.class);
    private static final Pattern PIPELINE = Pattern.compile("/repos/(\\d{1,18})/pipeline/(\\d{1,18})$");

    private final WoodpeckerConfig config;
    private final CiLogsConfig logs;
    private final Vertx vertx;
    private final ObjectMapper json;
    private final Optional<WoodpeckerClient> web;
    private final HttpClient downloads;

    WoodpeckerStepLogs(WoodpeckerConfig config, CiLogsConfig logs, Vertx vertx, ObjectMapper json) {
        this.config = config;
        this.logs = logs;
        this.vertx = vertx;
        this.json = json;
        this.web = config.url().map(url -> RestClients.create(WoodpeckerClient.class, url, config.timeout(), config.timeout()));
        this.downloads = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.timeout().toMillis())));
    }

    void close(@Observes ShutdownEvent event) {
        downloads.closeAndForget();
    }

    @Override
    public Stage stage() {
        return Stage.WOODPECKER;
    }

    @Override
    public Uni<Optional<String>> tail(RepoSlug repo, Check check, int maxBytes) {
        Optional<long[]> pipeline = pipeline(check.url());
        int slash = check.name().indexOf('/');
        if (web.isEmpty() || pipeline.isEmpty() || slash < 0) {
            return Uni.createFrom().item(Optional.empty());
        }
        long repoId = pipeline.get()[0];
        long number = pipeline.get()[1];
        String workflow = check.name().substring(0, slash);
        String step = check.name().substring(slash + 1);
        return SecretFile.read(vertx, config.tokenFile()).flatMap(token -> web.get()
                        .pipeline(token.map(t -> "Bearer " + t).orElse(null), repoId, number)
                        .flatMap(response -> {
                            Optional<Long> stepId = response.getStatus() == 200
                                    ? stepId(readTree(response.readEntity(String.class)), workflow, step) : Optional.empty();
                            if (stepId.isEmpty()) {
                                return Uni.createFrom().item(Optional.<String>empty());
                            }
                            URI download = URI.create(base() + "/api/repos/" + repoId + "/logs/" + number + "/" + stepId.get() + "/download");
                            return LogDownload.tail(downloads, download,
                                    token.map(t -> Map.of("Authorization", "Bearer " + t)).orElse(Map.of()), maxBytes, logs.timeout());
                        }))
                .onFailure().recoverWithItem(failure -> {
                    LOG.infof("The log of %s step %s was not read: %s", repo, check.name(), failure.getClass().getSimpleName());
                    return Optional.empty();
                });
    }

    /** Repository id and pipeline number from the pipeline's link. */
    static Optional<long[]> pipeline(URI url) {
        if (url == null || url.getPath() == null) {
            return Optional.empty();
        }
        Matcher m = PIPELINE.matcher(url.getPath());
        return m.find() ? Optional.of(new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))}) : Optional.empty();
    }

    /** The id of step {@code step} of workflow {@code workflow} in a pipeline's JSON (its workflows and their children). */
    static Optional<Long> stepId(JsonNode pipeline, String workflow, String step) {
        for (JsonNode w : pipeline.path("workflows")) {
            if (workflow.equals(w.path("name").asText(null))) {
                for (JsonNode s : w.path("children")) {
                    if (step.equals(s.path("name").asText(null)) && s.path("id").canConvertToLong()) {
                        return Optional.of(s.path("id").asLong());
                    }
                }
            }
        }
        return Optional.empty();
    }

    private JsonNode readTree(String body) {
        try {
            return json.readTree(body);
        } catch (java.io.IOException e) {
            return json.createObjectNode();
        }
    }

    private String base() {
        String root = config.url().orElseThrow().toString();
        return root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    }
}
