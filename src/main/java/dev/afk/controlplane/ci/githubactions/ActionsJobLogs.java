package dev.afk.controlplane.ci.githubactions;

import dev.afk.controlplane.ci.CiLogsConfig;
import dev.afk.controlplane.ci.CiLogs;
import dev.afk.controlplane.ci.CiVerdicts.Check;
import dev.afk.controlplane.ci.CiVerdicts.Stage;
import dev.afk.controlplane.ci.LogDownload;
import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.github.Endpoint;
import dev.afk.controlplane.github.GitHubConnection;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The end of a failing GitHub Actions job's log. A check run of Actions is its job (same id, in its
 * page link): {@code GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs} answers 302 to a signed
 * download URL, read without our token (it must not leave the API) and bounded in bytes and time.
 * Commit statuses and workflow stand-ins have no job: no log.
 */
@ApplicationScoped
public class ActionsJobLogs implements CiLogs.StageLogs {

    private static final Logger LOG = Logger.getLogger(ActionsJobLogs.class);
    /** {@code /{owner}/{repo}/runs/{id}} (a check run) or {@code /{owner}/{repo}/actions/runs/{run}/job/{id}}. */
    private static final Pattern JOB = Pattern.compile("^/[^/]+/[^/]+/(?:runs/(\\d{1,18})|actions/runs/\\d+/job/(\\d{1,18}))/?$");

    private final GitHubConnection connection;
    private final CiLogsConfig config;
    private final HttpClient downloads;

    ActionsJobLogs(GitHubConnection connection, CiLogsConfig config, Vertx vertx) {
        this.connection = connection;
        this.config = config;
        this.downloads = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.timeout().toMillis())));
    }

    void close(@Observes ShutdownEvent event) {
        downloads.closeAndForget();
    }

    @Override
    public Stage stage() {
        return Stage.GITHUB_ACTIONS;
    }

    @Override
    public Uni<Optional<String>> tail(RepoSlug repo, Check check, int maxBytes) {
        Optional<Long> job = jobId(check.url());
        if (job.isEmpty()) {
            return Uni.createFrom().item(Optional.empty());
        }
        Duration timeout = config.timeout();
        return connection.http().withMaxWait(Duration.ZERO)
                .redirect(Endpoint.of("/repos/{owner}/{repo}/actions/jobs/{job_id}/logs", repo.owner(), repo.name(),
                        String.valueOf(job.get())))
                .flatMap(answer -> answer.status() == 302 && answer.location().isPresent()
                        ? LogDownload.tail(downloads, URI.create(answer.location().get()), Map.of(), maxBytes, timeout)
                        : Uni.createFrom().item(Optional.<String>empty()))
                // The download URL is signed: no message names it.
                .onFailure().recoverWithItem(failure -> {
                    LOG.infof("The log of %s job %s was not read: %s", repo, job.get(), failure.getClass().getSimpleName());
                    return Optional.empty();
                });
    }

    /** The job id in a check run's page link. */
    static Optional<Long> jobId(URI url) {
        if (url == null || url.getPath() == null) {
            return Optional.empty();
        }
        Matcher m = JOB.matcher(url.getPath());
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(m.group(1) != null ? m.group(1) : m.group(2)));
    }
}
