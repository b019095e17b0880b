package dev.afk.controlplane.github;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.http.HttpMethod;
import io.vertx.mutiny.core.MultiMap;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * GitHub's REST API the way GitHub asks to be used, for any adapter that reads or writes it:
 * conditional reads (a 304 reuses the cached body and costs no rate limit), {@code Link}
 * pagination, the budget tracked from {@code X-RateLimit-*} headers, rate-limit refusals waited out
 * ({@code Retry-After}, else the reset, else a doubling minute), mutating requests serialised and
 * spaced, retries of 5xx and time-outs for requests that are safe to repeat. One instance per
 * credentials: the budget, the cache and the write queue belong to a token, and every adapter that
 * reaches GitHub shares them ({@link GitHubConnection}).
 */
public final class GitHubHttp {

    public static final String API_VERSION = "2022-11-28";
    public static final String USER_AGENT = "afk-control-plane";
    private static final Logger LOG = Logger.getLogger(GitHubHttp.class);
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"next\"");

    /** Tunables; see {@link GitHubConfig.Requests}. */
    public record Settings(Duration timeout, Duration writeSpacing, Duration secondaryLimitWait, Duration maxWait,
            Duration retryBackoff, int maxAttempts, int cacheEntries) {

        public static Settings of(GitHubConfig.Requests config) {
            return new Settings(config.timeout(), config.writeSpacing(), config.secondaryLimitWait(), config.maxWait(),
                    config.retryBackoff(), config.maxAttempts(), config.cacheEntries());
        }
    }

    /** One request on the wire. {@code repeatable}: safe to send again after an unclear failure. */
    private record Call(HttpMethod method, String template, String url, String json, boolean conditional, boolean repeatable,
            boolean redirect) {

        Call(HttpMethod method, String template, String url, String json, boolean conditional, boolean repeatable) {
            this(method, template, url, json, conditional, repeatable, false);
        }
    }

    /** Mutating requests in order: completes when the last one queued has ended. */
    private static final class WriteQueue {
        private CompletableFuture<Instant> lastEnded = CompletableFuture.completedFuture(Instant.EPOCH);
    }

    private final WebClient client;
    private final String root;
    private final GitHubCredentials credentials;
    private final Settings settings;
    private final RateLimitPolicy policy;
    private final ConditionalCache cache;
    private final RateBudget budget;
    private final GitHubMetrics metrics;
    private final Clock clock;
    private final WriteQueue writes;

    /** The credentials every request of this client carries. */
    GitHubCredentials credentials() {
        return credentials;
    }

    public GitHubHttp(WebClient client, URI apiUrl, GitHubCredentials credentials, Settings settings,
            GitHubMetrics metrics, Clock clock) {
        this.client = client;
        this.root = root(apiUrl);
        this.credentials = credentials;
        this.settings = settings;
        this.policy = new RateLimitPolicy(settings.secondaryLimitWait());
        this.cache = new ConditionalCache(settings.cacheEntries());
        this.budget = new RateBudget();
        this.metrics = metrics;
        this.clock = clock;
        this.writes = new WriteQueue();
        metrics.budget(credentials.budget(), budget);
    }

    private GitHubHttp(GitHubHttp shared, Settings settings) {
        this.client = shared.client;
        this.root = shared.root;
        this.credentials = shared.credentials;
        this.settings = settings;
        this.policy = shared.policy;
        this.cache = shared.cache;
        this.budget = shared.budget;
        this.metrics = shared.metrics;
        this.clock = shared.clock;
        this.writes = shared.writes;
    }

    /**
     * The same connection (credentials, budget, cache, write queue) with another patience: a rate
     * limit that would hold a call longer than {@code maxWait} fails it with {@link GitHubRateLimited}
     * at once. {@code Duration.ZERO} suits callers that rather come back later than wait.
     */
    public GitHubHttp withMaxWait(Duration maxWait) {
        return new GitHubHttp(this, new Settings(settings.timeout(), settings.writeSpacing(), settings.secondaryLimitWait(), maxWait,
                settings.retryBackoff(), settings.maxAttempts(), settings.cacheEntries()));
    }

    static String root(URI apiUrl) {
        String url = apiUrl.toString();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** A conditional read of one resource (or the first page of a list). */
    public Uni<GitHubResponse> get(Endpoint endpoint) {
        return onCallersContext(send(read(endpoint.template(), root + endpoint.relativeUri())));
    }

    /**
     * A read that GitHub answers with a redirect to somewhere else (a download): the redirect is
     * not followed, so our token never leaves the API; the answer's {@code location} is its target.
     */
    public Uni<GitHubResponse> redirect(Endpoint endpoint) {
        return onCallersContext(send(new Call(HttpMethod.GET, endpoint.template(), root + endpoint.relativeUri(), null, false, true, true)));
    }

    /** Every page of a list, following {@code Link: rel="next"}; each page is a conditional read. */
    public Uni<List<GitHubResponse>> getAllPages(Endpoint endpoint) {
        return getAllPages(endpoint, Integer.MAX_VALUE);
    }

    /** The first {@code maxPages} pages of a list at most. */
    public Uni<List<GitHubResponse>> getAllPages(Endpoint endpoint, int maxPages) {
        return getPagesWhile(endpoint, maxPages, pages -> true);
    }

    /**
     * Pages of a list, newest page last, while {@code more} says the pages so far do not answer yet
     * and at most {@code maxPages} of them.
     */
    public Uni<List<GitHubResponse>> getPagesWhile(Endpoint endpoint, int maxPages, Predicate<List<GitHubResponse>> more) {
        String url = root + endpoint.relativeUri();
        return onCallersContext(Uni.createFrom().deferred(() -> pagesFrom(endpoint.template(), url, maxPages, more, new ArrayList<>())));
    }

    /**
     * A mutating request: queued behind the previous one and sent no sooner than the configured
     * spacing after it. {@code repeatable} says whether it may be re-sent after a 5xx or time-out.
     */
    public Uni<GitHubResponse> write(HttpMethod method, Endpoint endpoint, String json, boolean repeatable) {
        Call call = new Call(method, endpoint.template(), root + endpoint.relativeUri(), json, false, repeatable);
        return onCallersContext(Uni.createFrom().deferred(() -> enqueueWrite(call)));
    }

    /** The budget of these credentials, as GitHub last reported it. */
    public RateBudget budget() {
        return budget;
    }

    private Uni<List<GitHubResponse>> pagesFrom(String template, String url, int maxPages, Predicate<List<GitHubResponse>> more,
            List<GitHubResponse> pages) {
        return send(read(template, url)).flatMap(page -> {
            pages.add(page);
            Optional<String> next = page.nextPage();
            if (!page.ok() || next.isEmpty() || pages.size() >= maxPages || !more.test(pages)) {
                return Uni.createFrom().item(pages);
            }
            if (!next.get().startsWith(root + "/")) {
                // Never send our token anywhere but the configured API.
                return Uni.createFrom().failure(new GitHubUnavailable(page.status(), "GitHub's next page is outside the API root"));
            }
            return pagesFrom(template, next.get(), maxPages, more, pages);
        });
    }

    private static Call read(String template, String url) {
        return new Call(HttpMethod.GET, template, url, null, true, true);
    }

    /**
     * Runs only when subscribed (callers defer it), so every queued write is also awaited: it
     * waits for the previous write to end plus the spacing, and ends — answered, failed or
     * cancelled — before the next one starts.
     */
    private Uni<GitHubResponse> enqueueWrite(Call call) {
        CompletableFuture<Instant> ended = new CompletableFuture<>();
        CompletableFuture<Instant> previous;
        synchronized (writes) {
            previous = writes.lastEnded;
            writes.lastEnded = ended;
        }
        return Uni.createFrom().completionStage(previous)
                .flatMap(previousEnd -> delay(Duration.between(clock.instant(), previousEnd.plus(settings.writeSpacing()))))
                .flatMap(ignored -> send(call))
                .onTermination().invoke(() -> ended.complete(clock.instant()));
    }

    private Uni<GitHubResponse> send(Call call) {
        return attempt(call, 1);
    }

    /** What one exchange led to: an answer for the caller, or a wait before the next attempt. */
    private sealed interface Outcome permits Answer, Again {}

    private record Answer(GitHubResponse response) implements Outcome {}

    private record Again(Duration pause, int status, String why) implements Outcome {}

    private Uni<GitHubResponse> attempt(Call call, int attempt) {
        return Uni.createFrom().deferred(() -> holdOff(call))
                .flatMap(ignored -> credentials.authorization())
                .flatMap(authorization -> exchange(call, attempt, authorization))
                .flatMap(outcome -> switch (outcome) {
                    case Answer answer -> Uni.createFrom().item(answer.response());
                    case Again again when attempt < settings.maxAttempts() -> {
                        LOG.debugf("GitHub %s %s: %s; trying again in %s", call.method(), call.template(), again.why(), again.pause());
                        yield delay(again.pause()).flatMap(ignored -> attempt(call, attempt + 1));
                    }
                    case Again again -> Uni.createFrom().failure(new GitHubUnavailable(again.status(),
                            "GitHub " + call.method() + " " + call.template() + ": " + again.why()));
                });
    }

    /** Waits while the budget is spent or paused, unless that is longer than this caller's patience. */
    private Uni<Void> holdOff(Call call) {
        Duration wait = budget.holdOff(clock.instant());
        if (wait.compareTo(settings.maxWait()) > 0) {
            return Uni.createFrom().failure(new GitHubRateLimited(0, wait,
                    "GitHub " + call.method() + " " + call.template() + ": the rate limit holds requests back for " + wait));
        }
        return delay(wait);
    }

    private Uni<Outcome> exchange(Call call, int attempt, String authorization) {
        Optional<ConditionalCache.Entry> cached = call.conditional() ? cache.get(call.url()) : Optional.empty();
        HttpRequest<Buffer> request = client.requestAbs(call.method(), call.url())
                .timeout(settings.timeout().toMillis())
                .putHeader("Accept", "application/vnd.github+json")
                .putHeader("X-GitHub-Api-Version", API_VERSION)
                .putHeader("User-Agent", USER_AGENT)
                .putHeader("Authorization", authorization)
                .followRedirects(!call.redirect());
        cached.ifPresent(entry -> {
            if (entry.etag() != null) {
                request.putHeader("If-None-Match", entry.etag());
            } else {
                request.putHeader("If-Modified-Since", entry.lastModified());
            }
        });
        Uni<HttpResponse<Buffer>> sent = call.json() == null ? request.send()
                : request.putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(call.json()));
        return sent
                .map(response -> outcome(call, attempt, cached, response))
                .onFailure(failure -> !(failure instanceof GitHubUnavailable)).recoverWithUni(failure -> {
                    metrics.call(call.method().name(), call.template(), "error");
                    if (!call.repeatable()) {
                        return Uni.createFrom().failure(new GitHubUnavailable(0,
                                "GitHub did not answer " + call.method() + " " + call.template()));
                    }
                    return Uni.createFrom().item(new Again(backoff(attempt), 0, "no answer (" + failure.getClass().getSimpleName() + ")"));
                });
    }

    private Outcome outcome(Call call, int attempt, Optional<ConditionalCache.Entry> cached, HttpResponse<Buffer> response) {
        int status = response.statusCode();
        MultiMap headers = response.headers();
        Instant now = clock.instant();
        metrics.call(call.method().name(), call.template(), String.valueOf(status));
        observeBudget(headers);
        if (cached.isPresent()) {
            metrics.conditionalRead(status == 304);
        }
        if (status == 304 && cached.isPresent()) {
            budget.accepted();
            ConditionalCache.Entry entry = cached.get();
            return new Answer(new GitHubResponse(200, entry.body(), entry.nextPage(), true));
        }
        if (status == 401) {
            credentials.rejected();
            return new Again(Duration.ZERO, status, "credentials refused");
        }
        RateLimitPolicy.Signals signals = new RateLimitPolicy.Signals(status, longHeader(headers, "Retry-After"),
                longHeader(headers, "X-RateLimit-Remaining").map(Long::intValue), longHeader(headers, "X-RateLimit-Reset"),
                status == 403 && saysRateLimit(response));
        if (signals.isRateLimited()) {
            Duration wait = policy.waitFor(signals, budget.consecutiveLimited(), now);
            // Recorded either way: every caller sharing the budget holds back.
            budget.limited(now, wait);
            if (wait.compareTo(settings.maxWait()) > 0) {
                throw new GitHubRateLimited(status, wait, "GitHub rate limit: the wait of " + wait + " is longer than allowed");
            }
            return new Again(wait, status, "rate limited");
        }
        budget.accepted();
        if (status >= 500) {
            if (!call.repeatable()) {
                throw new GitHubUnavailable(status, "GitHub " + call.method() + " " + call.template() + " answered " + status);
            }
            return new Again(backoff(attempt), status, "server error " + status);
        }
        if (call.redirect()) {
            return new Answer(new GitHubResponse(status, "", Optional.empty(), false, Optional.ofNullable(headers.get("Location"))));
        }
        String body = response.bodyAsString();
        Optional<String> next = nextPage(headers.get("Link"));
        if (call.conditional() && status == 200) {
            cache.put(call.url(), new ConditionalCache.Entry(headers.get("ETag"), headers.get("Last-Modified"), body, next));
        }
        return new Answer(new GitHubResponse(status, body == null ? "" : body, next, false));
    }

    /** GitHub's secondary limits may come as a bare 403 whose message says so. */
    private static boolean saysRateLimit(HttpResponse<Buffer> response) {
        String body = response.bodyAsString();
        return body != null && body.toLowerCase(java.util.Locale.ROOT).contains("rate limit");
    }

    private void observeBudget(MultiMap headers) {
        Optional<Long> remaining = longHeader(headers, "X-RateLimit-Remaining");
        Optional<Long> reset = longHeader(headers, "X-RateLimit-Reset");
        if (remaining.isPresent() && reset.isPresent()) {
            budget.observe(remaining.get(), longHeader(headers, "X-RateLimit-Limit").orElse(-1L), Instant.ofEpochSecond(reset.get()));
        }
    }

    private Duration backoff(int attempt) {
        return settings.retryBackoff().multipliedBy(1L << Math.min(attempt - 1, 6));
    }

    static Optional<String> nextPage(String link) {
        if (link == null) {
            return Optional.empty();
        }
        Matcher matcher = NEXT.matcher(link);
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    private static Optional<Long> longHeader(MultiMap headers, String name) {
        String value = headers.get(name);
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(value.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    static Uni<Void> delay(Duration wait) {
        if (wait.isNegative() || wait.isZero()) {
            return Uni.createFrom().voidItem();
        }
        // Timers count whole milliseconds and refuse anything shorter.
        Duration timer = wait.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : wait;
        return Uni.createFrom().voidItem().onItem().delayIt().by(timer);
    }

    /** Timers move work to another thread; the caller (e.g. a reactive DB session) gets it back on its own context. */
    private static <T> Uni<T> onCallersContext(Uni<T> work) {
        return Uni.createFrom().deferred(() -> {
            Context context = io.vertx.core.Vertx.currentContext();
            if (context == null) {
                return work;
            }
            Executor onContext = task -> context.runOnContext(ignored -> task.run());
            return work.emitOn(onContext);
        });
    }
}
