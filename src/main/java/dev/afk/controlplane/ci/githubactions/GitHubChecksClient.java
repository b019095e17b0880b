package dev.afk.controlplane.ci.githubactions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.afk.controlplane.ci.CiUnavailableException;
import dev.afk.controlplane.ci.CiVerdicts.Stage;
import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.common.SecretFile;
import dev.afk.controlplane.ci.githubactions.GitHubChecks.CheckRun;
import dev.afk.controlplane.ci.githubactions.GitHubChecks.CheckRunPage;
import dev.afk.controlplane.ci.githubactions.GitHubChecks.CombinedStatus;
import dev.afk.controlplane.ci.githubactions.GitHubChecks.CommitStatus;
import dev.afk.controlplane.ci.githubactions.GitHubChecks.WorkflowRun;
import dev.afk.controlplane.ci.githubactions.GitHubChecks.WorkflowRunPage;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The three GitHub endpoints the Actions stage reads, rate-limit friendly: conditional requests
 * (a 304 is free), every page followed through {@code Link}, and no request at all while the
 * budget is below its reserve or a secondary limit asked us to wait.
 */
@ApplicationScoped
class GitHubChecksClient {

    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"next\"");
    private static final int PAGE_SIZE = 100;

    private final GitHubActionsConfig config;
    private final Vertx vertx;
    private final ObjectMapper json;
    private final Clock clock;
    private final WebClient web;
    private final Map<String, Cached> etags;
    private final AtomicReference<Instant> quietUntil = new AtomicReference<>(Instant.EPOCH);
    private final AtomicInteger remaining = new AtomicInteger(-1);

    GitHubChecksClient(GitHubActionsConfig config, Vertx vertx, ObjectMapper json, Clock clock, MeterRegistry registry) {
        this.config = config;
        this.vertx = vertx;
        this.json = json;
        this.clock = clock;
        this.web = WebClient.create(vertx, new WebClientOptions().setUserAgent("afk-control-plane")
                .setConnectTimeout((int) config.timeout().toMillis()));
        int capacity = config.etagCacheSize();
        this.etags = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
                return size() > capacity;
            }
        });
        Gauge.builder("afk.ci.github.rate.limit.remaining", remaining, AtomicInteger::get)
                .description("Requests left in the GitHub rate-limit window as last seen by the CI stage (-1: not yet seen)")
                .register(registry);
    }

    @PreDestroy
    void close() {
        web.close();
    }

    Uni<List<CheckRun>> checkRuns(RepoSlug repo, String sha) {
        return pages(repoPath(repo) + "/commits/" + encode(sha) + "/check-runs?filter=latest&per_page=" + PAGE_SIZE,
                CheckRunPage.class, CheckRunPage::checkRuns);
    }

    Uni<List<CommitStatus>> statuses(RepoSlug repo, String sha) {
        return pages(repoPath(repo) + "/commits/" + encode(sha) + "/status?per_page=" + PAGE_SIZE,
                CombinedStatus.class, CombinedStatus::statuses);
    }

    Uni<List<WorkflowRun>> workflowRuns(RepoSlug repo, String sha) {
        return pages(repoPath(repo) + "/actions/runs?head_sha=" + encode(sha) + "&per_page=" + PAGE_SIZE,
                WorkflowRunPage.class, WorkflowRunPage::workflowRuns);
    }

    private <P, T> Uni<List<T>> pages(String firstPath, Class<P> pageType, Function<P, List<T>> items) {
        return SecretFile.read(vertx, config.tokenFile())
                .flatMap(token -> page(api(firstPath), token, pageType, items, new ArrayList<>(), 1));
    }

    private <P, T> Uni<List<T>> page(String url, Optional<String> token, Class<P> pageType, Function<P, List<T>> items,
            List<T> soFar, int pageNumber) {
        return get(url, token).flatMap(page -> {
            soFar.addAll(Optional.ofNullable(items.apply(read(page.body(), pageType))).orElse(List.of()));
            Optional<String> next = page.next().filter(this::isOurApi);
            return next.isPresent() && pageNumber < config.maxPages()
                    ? page(next.get(), token, pageType, items, soFar, pageNumber + 1)
                    : Uni.createFrom().item(soFar);
        });
    }

    private Uni<Cached> get(String url, Optional<String> token) {
        Duration wait = Duration.between(clock.instant(), quietUntil.get());
        if (wait.isPositive()) {
            return Uni.createFrom().failure(new CiUnavailableException(Stage.GITHUB_ACTIONS,
                    "holding back to respect the GitHub rate limit", wait));
        }
        Cached cached = etags.get(url);
        HttpRequest<Buffer> request = web.requestAbs(HttpMethod.GET, url)
                .timeout(config.timeout().toMillis())
                .putHeader("Accept", "application/vnd.github+json")
                .putHeader("X-GitHub-Api-Version", "2022-11-28");
        token.ifPresent(t -> request.putHeader("Authorization", "Bearer " + t));
        if (cached != null) {
            request.putHeader("If-None-Match", cached.etag());
        }
        return request.send()
                .onFailure().transform(e -> new CiUnavailableException(Stage.GITHUB_ACTIONS,
                        "GitHub did not answer: " + e.getClass().getSimpleName()))
                .map(response -> {
                    observeRateLimit(response);
                    if (response.statusCode() == 304 && cached != null) {
                        return cached;
                    }
                    if (response.statusCode() != 200) {
                        throw new CiUnavailableException(Stage.GITHUB_ACTIONS, "GitHub answered HTTP " + response.statusCode(),
                                retryAfter(response).orElse(null));
                    }
                    Cached fresh = new Cached(response.getHeader("ETag"), response.bodyAsString(),
                            nextLink(response.getHeader("Link")));
                    if (fresh.etag() != null) {
                        etags.put(url, fresh);
                    }
                    return fresh;
                });
    }

    /** Remembers when to stop asking: the primary budget below its reserve, or a secondary limit's Retry-After. */
    private void observeRateLimit(HttpResponse<Buffer> response) {
        Optional<Duration> retryAfter = retryAfter(response);
        retryAfter.ifPresent(wait -> quietUntil.set(clock.instant().plus(wait)));
        String left = response.getHeader("x-ratelimit-remaining");
        if (left == null) {
            return;
        }
        try {
            int budget = Integer.parseInt(left.strip());
            remaining.set(budget);
            if (budget <= config.rateLimitReserve()) {
                resetOf(response).ifPresent(reset -> quietUntil.accumulateAndGet(reset, (a, b) -> a.isAfter(b) ? a : b));
            }
        } catch (NumberFormatException ignored) {
            // A malformed header tells us nothing; the next response will.
        }
    }

    private static Optional<Instant> resetOf(HttpResponse<Buffer> response) {
        String reset = response.getHeader("x-ratelimit-reset");
        try {
            return reset == null ? Optional.empty() : Optional.of(Instant.ofEpochSecond(Long.parseLong(reset.strip())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private Optional<Duration> retryAfter(HttpResponse<Buffer> response) {
        int status = response.statusCode();
        if (status != 403 && status != 429) {
            return Optional.empty();
        }
        String seconds = response.getHeader("Retry-After");
        if (seconds != null) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(seconds.strip())));
            } catch (NumberFormatException ignored) {
                // fall through to the primary window
            }
        }
        if ("0".equals(response.getHeader("x-ratelimit-remaining"))) {
            return resetOf(response).map(reset -> Duration.between(clock.instant(), reset)).filter(Duration::isPositive);
        }
        return Optional.empty();
    }

    private <P> P read(String body, Class<P> type) {
        try {
            return json.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw new CiUnavailableException(Stage.GITHUB_ACTIONS, "GitHub answered a body we cannot read as " + type.getSimpleName());
        }
    }

    /** Follows only links to our own API, so the token never travels elsewhere. */
    private boolean isOurApi(String url) {
        return url.startsWith(base());
    }

    private String api(String path) {
        return base() + path;
    }

    private String base() {
        String root = config.apiUrl().toString();
        return root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    }

    private static String repoPath(RepoSlug repo) {
        return "/repos/" + repo.owner() + "/" + repo.name();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static Optional<String> nextLink(String linkHeader) {
        if (linkHeader == null) {
            return Optional.empty();
        }
        Matcher matcher = NEXT_LINK.matcher(linkHeader);
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    private record Cached(String etag, String body, Optional<String> next) {}
}
