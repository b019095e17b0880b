package dev.afk.controlplane.fakes.github;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A stateful GitHub REST API on 127.0.0.1 for tests and benchmarks: repositories, issues, labels,
 * timelines, comments, collaborators, commits, check runs, statuses, workflow runs and files
 * ({@link FakeRepo}); personal access tokens and GitHub App installation tokens; rate-limit headers
 * and budgets per token; ETags with 304s that cost nothing; {@code Link} pagination; injected 5xx,
 * secondary limits and slow answers. Every answer is checked against the published contract
 * ({@link #contractViolations()}), and every call is recorded ({@link #calls()}).
 */
public final class FakeGitHub implements AutoCloseable {

    /**
     * One request as the fake saw it. {@code query}: the raw query string (null without one);
     * {@code token}: the credential it presented; {@code charged}: it cost rate limit.
     */
    public record Call(String method, String template, String path, String query, String token, String repo, int status,
            boolean charged, boolean conditional, Instant at) {}

    private static final String DOCS = "https://docs.github.com/rest";

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final Map<String, FakeRepo> repos = new LinkedHashMap<>();
    private final Map<String, Budget> budgets = new HashMap<>();
    private final Map<String, String> budgetOfToken = new HashMap<>();
    private final Map<String, Instant> tokenExpiry = new HashMap<>();
    private final Map<Long, App> installations = new HashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final List<String> undocumented = new CopyOnWriteArrayList<>();
    /** Signed log downloads handed out in redirects: the log they serve, until they expire. */
    private final Map<String, Download> downloads = new HashMap<>();
    private final AtomicLong downloadsServed = new AtomicLong();
    private final Map<String, Boolean> validated = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(1000);
    private final AtomicLong mintedTokens = new AtomicLong();
    private volatile int rateLimit = 5000;
    private volatile Duration installationTokenTtl = Duration.ofHours(1);
    private Instant lastNow = Instant.EPOCH;

    private record App(String appId, PublicKey key) {}

    private static final class Budget {
        int remaining;
        Instant reset;
    }

    private FakeGitHub() {
        Router router = Router.router(vertx);
        router.route().handler(BodyHandler.create());
        get(router, "/repos/{owner}/{repo}/issues", this::listIssues);
        get(router, "/repos/{owner}/{repo}/issues/events", this::issueEvents);
        get(router, "/repos/{owner}/{repo}/issues/{issue_number}", this::getIssue);
        route(router, "PATCH", "/repos/{owner}/{repo}/issues/{issue_number}", this::updateIssue);
        get(router, "/repos/{owner}/{repo}/issues/{issue_number}/timeline", this::timeline);
        route(router, "POST", "/repos/{owner}/{repo}/issues/{issue_number}/labels", this::addLabels);
        route(router, "DELETE", "/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}", this::removeLabel);
        get(router, "/repos/{owner}/{repo}/issues/{issue_number}/comments", this::listComments);
        route(router, "POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments", this::createComment);
        route(router, "PATCH", "/repos/{owner}/{repo}/issues/comments/{comment_id}", this::updateComment);
        get(router, "/repos/{owner}/{repo}/collaborators/{username}/permission", this::permission);
        get(router, "/repos/{owner}/{repo}/commits", this::listCommits);
        get(router, "/repos/{owner}/{repo}/commits/{ref}/check-runs", this::checkRuns);
        get(router, "/repos/{owner}/{repo}/commits/{ref}/status", this::combinedStatus);
        get(router, "/repos/{owner}/{repo}/actions/runs", this::workflowRuns);
        get(router, "/repos/{owner}/{repo}/actions/jobs/{job_id}/logs", this::jobLogs);
        router.get("/signed/job-logs/:download").handler(this::download);
        get(router, "/rate_limit", this::rateLimitOverview);
        get(router, "/repos/{owner}/{repo}/pulls", this::listPulls);
        route(router, "POST", "/repos/{owner}/{repo}/pulls", this::createPull);
        get(router, "/repos/{owner}/{repo}/pulls/{pull_number}", this::getPull);
        route(router, "PATCH", "/repos/{owner}/{repo}/pulls/{pull_number}", this::updatePull);
        route(router, "PUT", "/repos/{owner}/{repo}/pulls/{pull_number}/merge", this::mergePull);
        router.getWithRegex("/repos/([^/]+)/([^/]+)/contents/(.+)").handler(ctx -> serve(ctx, "GET", "/repos/{owner}/{repo}/contents/{path}", this::contents));
        router.post("/app/installations/:installation/access_tokens").handler(this::mintInstallationToken);
        router.route().last().handler(ctx -> reply(ctx, "?", ctx.request().path(), null, new Answer(404, error("Not Found"))));
        server = vertx.createHttpServer().requestHandler(router);
        try {
            server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the fake GitHub did not start", e);
        }
    }

    public static FakeGitHub start() {
        return new FakeGitHub();
    }

    /** The API root to configure as {@code afk.github.api-url}. */
    public String apiUrl() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    // ---- the Java API tests drive ----

    /** The repository {@code owner/name}, created empty on first use. */
    public synchronized FakeRepo repo(String fullName) {
        return repos.computeIfAbsent(fullName, n -> new FakeRepo(this, n.substring(0, n.indexOf('/')), n.substring(n.indexOf('/') + 1)));
    }

    /** Accepts {@code token} as a personal access token with its own budget. */
    public synchronized FakeGitHub acceptToken(String token) {
        budgetOfToken.put(token, "token:" + token.hashCode());
        return this;
    }

    /** Registers a GitHub App installation whose JWTs are signed by the private half of {@code key}. */
    public synchronized FakeGitHub app(String appId, long installationId, PublicKey key) {
        installations.put(installationId, new App(appId, key));
        return this;
    }

    /** How long installation tokens minted from now on are valid (GitHub: one hour). */
    public FakeGitHub installationTokenTtl(Duration ttl) {
        this.installationTokenTtl = ttl;
        return this;
    }

    /** Sets every token's hourly budget (GitHub: 5,000) and starts new windows; benchmarks raise it. */
    public synchronized FakeGitHub rateLimit(int perHour) {
        this.rateLimit = perHour;
        budgets.clear();
        return this;
    }

    public long installationTokensMinted() {
        return mintedTokens.get();
    }

    /** Spends the budget of {@code token}: requests get 403 until {@code resetIn} has passed. */
    public FakeGitHub exhaust(String token, Duration resetIn) {
        return budget(token, 0, resetIn);
    }

    /** Leaves {@code remaining} requests to {@code token} until its window resets in {@code resetIn}. */
    public synchronized FakeGitHub budget(String token, int remaining, Duration resetIn) {
        Budget budget = budget(budgetOfToken.get(token));
        budget.remaining = remaining;
        budget.reset = Instant.now().plus(resetIn);
        return this;
    }

    public synchronized int remaining(String token) {
        return budget(budgetOfToken.get(token)).remaining;
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<Call> callsTo(String repo) {
        return calls.stream().filter(c -> repo.equals(c.repo())).toList();
    }

    /** Calls on {@code repo} that cost rate limit. */
    public long chargedCallsTo(String repo) {
        return callsTo(repo).stream().filter(Call::charged).count();
    }

    /** Every answer so far that the contract forbids (should stay empty). */
    public List<String> contractViolations() {
        return List.copyOf(violations);
    }

    /** Operations (and statuses) answered that the contract subset does not describe. */
    public List<String> undocumentedAnswers() {
        return List.copyOf(undocumented);
    }

    // ---- plumbing ----

    private record Answer(int status, Object body, Map<String, String> headers, boolean etagged) {
        Answer(int status, Object body) {
            this(status, body, Map.of(), false);
        }
    }

    private interface Handler extends Function<Request, Answer> {}

    /** A request with its repository resolved. */
    private record Request(RoutingContext ctx, FakeRepo repo) {
        String param(String name) {
            return ctx.pathParam(name);
        }

        String query(String name, String fallback) {
            String value = ctx.request().getParam(name);
            return value == null ? fallback : value;
        }

        JsonObject json() {
            String body = ctx.body().asString();
            return body == null || body.isBlank() ? new JsonObject() : new JsonObject(body);
        }
    }

    private void get(Router router, String template, Handler handler) {
        route(router, "GET", template, handler);
    }

    private void route(Router router, String method, String template, Handler handler) {
        String path = template.replaceAll("\\{([a-z_]+)}", ":$1");
        router.route(io.vertx.core.http.HttpMethod.valueOf(method), path).handler(ctx -> serve(ctx, method, template, handler));
    }

    private void serve(RoutingContext ctx, String method, String template, Handler handler) {
        String owner = ctx.pathParam("owner") != null ? ctx.pathParam("owner") : ctx.pathParam("param0");
        String name = ctx.pathParam("repo") != null ? ctx.pathParam("repo") : ctx.pathParam("param1");
        String repoName = owner == null ? null : owner + "/" + name;
        Optional<String> budgetKey = authenticate(ctx);
        if (budgetKey.isEmpty()) {
            reply(ctx, method, template, repoName, new Answer(401, error("Bad credentials")));
            return;
        }
        FakeRepo.Fault fault;
        FakeRepo repo;
        synchronized (this) {
            repo = repoName == null ? null : repos.get(repoName);
            fault = repo == null ? null : repo.takeFault().orElse(null);
        }
        if (fault != null && !fault.delay().isZero()) {
            vertx.setTimer(fault.delay().toMillis(), t -> answer(ctx, method, template, repoName, repo, budgetKey.get(), handler, null));
            return;
        }
        answer(ctx, method, template, repoName, repo, budgetKey.get(), handler, fault);
    }

    private void answer(RoutingContext ctx, String method, String template, String repoName, FakeRepo repo, String budgetKey,
            Handler handler, FakeRepo.Fault fault) {
        Answer answer;
        boolean charged;
        Budget budget;
        synchronized (this) {
            budget = budget(budgetKey);
            if (fault != null && (fault.status() == 403 || fault.status() == 429)) {
                Map<String, String> headers = fault.retryAfterSeconds() == null ? Map.of()
                        : Map.of("Retry-After", String.valueOf(fault.retryAfterSeconds()));
                answer = new Answer(fault.status(), error("You have exceeded a secondary rate limit. Please wait a few minutes before you try again."), headers, false);
            } else if (fault != null) {
                answer = new Answer(fault.status(), error("Server Error"));
            } else if (budget.remaining <= 0) {
                answer = new Answer(403, error("API rate limit exceeded"));
            } else if (repo == null && repoName != null) {
                answer = new Answer(404, error("Not Found"));
            } else {
                answer = handler.apply(new Request(ctx, repo));
            }
            String etag = answer.status() == 200 && answer.body() != null && method.equals("GET") ? etag(answer.body()) : null;
            String ifNoneMatch = ctx.request().getHeader("If-None-Match");
            boolean notModified = etag != null && etag.equals(ifNoneMatch);
            // GitHub: a 304 to a conditional request costs nothing; a refused request neither.
            charged = !notModified && !((answer.status() == 403 || answer.status() == 429) && (fault != null || budget.remaining <= 0));
            if (charged) {
                budget.remaining--;
            }
            if (notModified) {
                answer = new Answer(304, null, answer.headers(), true);
            } else if (etag != null) {
                Map<String, String> headers = new HashMap<>(answer.headers());
                headers.put("ETag", etag);
                answer = new Answer(answer.status(), answer.body(), headers, true);
            }
            calls.add(new Call(method, template, ctx.request().path(), ctx.request().query(), presentedToken(ctx), repoName,
                    answer.status(), charged, ifNoneMatch != null, Instant.now()));
            ctx.response().putHeader("X-RateLimit-Limit", String.valueOf(rateLimit))
                    .putHeader("X-RateLimit-Remaining", String.valueOf(Math.max(0, budget.remaining)))
                    .putHeader("X-RateLimit-Reset", String.valueOf(budget.reset.getEpochSecond()))
                    .putHeader("X-RateLimit-Used", String.valueOf(rateLimit - Math.max(0, budget.remaining)))
                    .putHeader("X-RateLimit-Resource", "core");
        }
        if (fault == null) {
            check(method, template, answer);
        }
        reply(ctx, method, template, repoName, answer);
    }

    private void reply(RoutingContext ctx, String method, String template, String repoName, Answer answer) {
        answer.headers().forEach(ctx.response()::putHeader);
        ctx.response().setStatusCode(answer.status());
        if (answer.body() == null || answer.status() == 304) {
            ctx.response().end();
        } else {
            ctx.response().putHeader("Content-Type", "application/json; charset=utf-8").end(encode(answer.body()));
        }
    }

    private void check(String method, String template, Answer answer) {
        GitHubContracts contracts = GitHubContracts.describing(method, template, answer.status());
        Optional<String> pointer = contracts.responsePointer(method, template, answer.status());
        if (pointer.isEmpty()) {
            undocumented.add(method + " " + template + " " + answer.status());
            return;
        }
        if (pointer.get().isEmpty() || answer.body() == null) {
            return;
        }
        String body = encode(answer.body());
        String key = contracts + pointer.get() + "#" + etag(answer.body());
        if (validated.putIfAbsent(key, Boolean.TRUE) == null) {
            contracts.violations(pointer.get(), body).forEach(v -> violations.add(method + " " + template + " " + answer.status() + ": " + v));
        }
    }

    private static String presentedToken(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        return header == null ? null : header.replaceFirst("^(?i)(bearer|token)\\s+", "");
    }

    private Optional<String> authenticate(RoutingContext ctx) {
        String token = presentedToken(ctx);
        if (token == null) {
            return Optional.empty();
        }
        synchronized (this) {
            Instant expiry = tokenExpiry.get(token);
            if (expiry != null && Instant.now().isAfter(expiry)) {
                return Optional.empty();
            }
            return Optional.ofNullable(budgetOfToken.get(token));
        }
    }

    private Budget budget(String key) {
        Budget budget = budgets.computeIfAbsent(key, k -> new Budget());
        Instant now = Instant.now();
        if (budget.reset == null || now.isAfter(budget.reset)) {
            budget.remaining = rateLimit;
            budget.reset = now.plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        }
        return budget;
    }

    synchronized Instant now() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        lastNow = now.isAfter(lastNow) ? now : lastNow.plusMillis(1);
        return lastNow;
    }

    long nextId() {
        return ids.incrementAndGet();
    }

    String sha() {
        return HexFormat.of().formatHex(digest(String.valueOf(nextId()))).substring(0, 40);
    }

    private static String etag(Object body) {
        return "W/\"" + HexFormat.of().formatHex(digest(encode(body))) + "\"";
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(Object body) {
        return body instanceof JsonObject o ? o.encode() : ((JsonArray) body).encode();
    }

    private static JsonObject error(String message) {
        return new JsonObject().put("message", message).put("documentation_url", DOCS);
    }

    // ---- GitHub App installation tokens ----

    private void mintInstallationToken(RoutingContext ctx) {
        long installation = Long.parseLong(ctx.pathParam("installation"));
        App app;
        synchronized (this) {
            app = installations.get(installation);
        }
        String header = ctx.request().getHeader("Authorization");
        String jwt = header == null ? "" : header.replaceFirst("^(?i)bearer\\s+", "");
        if (app == null || !validJwt(jwt, app)) {
            reply(ctx, "POST", "/app/installations/{installation_id}/access_tokens", null, new Answer(401, error("A JSON web token could not be decoded")));
            return;
        }
        String token = "ghs_" + HexFormat.of().formatHex(digest("installation-" + nextId())).substring(0, 36);
        Instant expires = Instant.now().plus(installationTokenTtl).truncatedTo(ChronoUnit.SECONDS);
        synchronized (this) {
            budgetOfToken.put(token, "installation:" + installation);
            tokenExpiry.put(token, expires);
        }
        mintedTokens.incrementAndGet();
        calls.add(new Call("POST", "/app/installations/{installation_id}/access_tokens", ctx.request().path(), null, null, null, 201,
                false, false, Instant.now()));
        reply(ctx, "POST", "/app/installations/{installation_id}/access_tokens", null,
                new Answer(201, new JsonObject().put("token", token).put("expires_at", expires.toString())
                        .put("permissions", new JsonObject().put("issues", "write")).put("repository_selection", "all")));
    }

    /** Signature, issuer and a lifetime of at most ten minutes, as GitHub checks them. */
    private static boolean validJwt(String jwt, App app) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            return false;
        }
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initVerify(app.key());
            rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!rsa.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return false;
            }
            JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
            long lifetime = claims.getLong("exp") - claims.getLong("iat");
            return app.appId().equals(String.valueOf(claims.getValue("iss"))) && lifetime > 0 && lifetime <= 600;
        } catch (Exception e) {
            return false;
        }
    }

    // ---- the REST operations ----

    private Answer listIssues(Request request) {
        String state = request.query("state", "open");
        List<String> wanted = List.of(request.query("labels", "").split(",")).stream().filter(s -> !s.isBlank()).toList();
        List<Object> items = new ArrayList<>();
        for (FakeRepo.Issue issue : request.repo().issues.values()) {
            boolean stateMatches = state.equals("all") || issue.state.equals(state);
            boolean labelsMatch = wanted.stream().allMatch(w -> issue.labels.stream().anyMatch(l -> l.equalsIgnoreCase(w)));
            if (stateMatches && labelsMatch) {
                items.add(GitHubJson.issue(request.repo(), issue, apiUrl()));
            }
        }
        items.sort((a, b) -> Integer.compare(((JsonObject) b).getInteger("number"), ((JsonObject) a).getInteger("number")));
        return page(request, items);
    }

    private Answer getIssue(Request request) {
        return issueOr404(request, issue -> new Answer(200, GitHubJson.issue(request.repo(), issue, apiUrl())));
    }

    private Answer updateIssue(Request request) {
        return issueOr404(request, issue -> {
            JsonObject change = request.json();
            if ("closed".equals(change.getString("state")) && !"closed".equals(issue.state)) {
                issue.state = "closed";
                issue.stateReason = change.getString("state_reason", "completed");
                issue.closedAt = now();
                issue.timeline.add(new FakeRepo.TimelineEvent(nextId(), "closed", "afk-bot", issue.closedAt, null, null, null));
            }
            issue.updatedAt = now();
            return new Answer(200, GitHubJson.issue(request.repo(), issue, apiUrl()));
        });
    }

    private Answer timeline(Request request) {
        return issueOr404(request, issue -> page(request, new ArrayList<>(issue.timeline.stream()
                .map(event -> (Object) GitHubJson.timelineEvent(request.repo(), event, apiUrl())).toList())));
    }

    /**
     * The repository's issue-events feed: the events of all its issues, newest first, each with its
     * issue. GitHub's own dependency events are left out: the feed is not documented to carry them.
     */
    private Answer issueEvents(Request request) {
        record Entry(FakeRepo.Issue issue, FakeRepo.TimelineEvent event) {}
        List<Entry> entries = new ArrayList<>();
        request.repo().issues.values().forEach(issue -> issue.timeline.stream()
                .filter(event -> !event.event().startsWith("blocked_by_"))
                .forEach(event -> entries.add(new Entry(issue, event))));
        entries.sort(Comparator.comparingLong((Entry entry) -> entry.event().id()).reversed());
        return page(request, new ArrayList<>(entries.stream()
                .map(entry -> (Object) GitHubJson.issueEvent(request.repo(), entry.issue(), entry.event(), apiUrl())).toList()));
    }

    private Answer addLabels(Request request) {
        return issueOr404(request, issue -> {
            JsonArray labels = request.json().getJsonArray("labels", new JsonArray());
            for (Object label : labels) {
                String name = label instanceof JsonObject o ? o.getString("name") : String.valueOf(label);
                if (issue.labels.add(name)) {
                    issue.timeline.add(new FakeRepo.TimelineEvent(nextId(), "labeled", "afk-bot", now(), name, null, null));
                    issue.updatedAt = now();
                }
            }
            return new Answer(200, new JsonArray(issue.labels.stream().map(l -> (Object) GitHubJson.label(l, apiUrl())).toList()));
        });
    }

    private Answer removeLabel(Request request) {
        return issueOr404(request, issue -> {
            String name = request.param("name");
            if (!issue.labels.remove(name)) {
                return new Answer(404, error("Label does not exist"));
            }
            issue.timeline.add(new FakeRepo.TimelineEvent(nextId(), "unlabeled", "afk-bot", now(), name, null, null));
            issue.updatedAt = now();
            return new Answer(200, new JsonArray(issue.labels.stream().map(l -> (Object) GitHubJson.label(l, apiUrl())).toList()));
        });
    }

    /** Oldest first, as GitHub orders them (ascending id). */
    private Answer listComments(Request request) {
        return issueOr404(request, issue -> page(request, new ArrayList<>(request.repo().comments(issue.number).stream()
                .sorted(Comparator.comparingLong(FakeRepo.Comment::id))
                .map(comment -> (Object) GitHubJson.comment(request.repo(), comment, apiUrl())).toList())));
    }

    private Answer createComment(Request request) {
        return issueOr404(request, issue -> {
            Instant at = now();
            FakeRepo.Comment comment = new FakeRepo.Comment(nextId(), issue.number, request.json().getString("body", ""), "afk-bot", at, at);
            request.repo().comments.put(comment.id(), comment);
            return new Answer(201, GitHubJson.comment(request.repo(), comment, apiUrl()));
        });
    }

    private Answer updateComment(Request request) {
        long id = Long.parseLong(request.param("comment_id"));
        FakeRepo.Comment comment = request.repo().comments.get(id);
        if (comment == null) {
            return new Answer(404, error("Not Found"));
        }
        FakeRepo.Comment edited = new FakeRepo.Comment(id, comment.issue(), request.json().getString("body", ""), comment.author(),
                comment.createdAt(), now());
        request.repo().comments.put(id, edited);
        return new Answer(200, GitHubJson.comment(request.repo(), edited, apiUrl()));
    }

    private Answer permission(Request request) {
        String user = request.param("username");
        Optional<String> role = request.repo().role(user);
        if (role.isEmpty()) {
            return new Answer(404, error("Not Found"));
        }
        return new Answer(200, GitHubJson.permission(user, role.get(), apiUrl()));
    }

    // ---- pull requests ----

    private Answer listPulls(Request request) {
        String state = request.query("state", "open");
        String head = request.query("head", null);
        String base = request.query("base", null);
        FakeRepo repo = request.repo();
        List<Object> items = new ArrayList<>();
        for (FakeRepo.PullRequest pull : repo.pulls.values()) {
            boolean matches = (state.equals("all") || pull.state.equals(state))
                    && (head == null || head.equals(repo.owner + ":" + pull.head))
                    && (base == null || base.equals(pull.base));
            if (matches) {
                items.add(GitHubJson.pullRequest("pull-request-simple", repo, pull, apiUrl()));
            }
        }
        items.sort((a, b) -> Integer.compare(((JsonObject) b).getInteger("number"), ((JsonObject) a).getInteger("number")));
        return page(request, items);
    }

    private Answer createPull(Request request) {
        FakeRepo repo = request.repo();
        JsonObject body = request.json();
        String title = body.getString("title");
        String head = body.getString("head");
        String base = body.getString("base");
        if (title == null || head == null || base == null) {
            return new Answer(422, validationFailed("Invalid request.\n\nNo title, head or base given."));
        }
        // "owner:branch" names a branch of this repository too.
        String branch = head.contains(":") ? head.substring(head.indexOf(':') + 1) : head;
        if (repo.head(branch).isEmpty() || branch.equals(base)) {
            return new Answer(422, validationFailed("No commits between " + base + " and " + branch));
        }
        boolean exists = repo.pulls.values().stream().anyMatch(p -> p.state.equals("open") && p.head.equals(branch) && p.base.equals(base));
        if (exists) {
            return new Answer(422, validationFailed("A pull request already exists for " + repo.owner + ":" + branch + "."));
        }
        FakeRepo.PullRequest pull = repo.openPull(title, body.getString("body"), branch, base);
        return new Answer(201, GitHubJson.pullRequest("pull-request", repo, pull, apiUrl()));
    }

    private Answer getPull(Request request) {
        return pullOr404(request, pull -> new Answer(200, GitHubJson.pullRequest("pull-request", request.repo(), pull, apiUrl())));
    }

    private Answer updatePull(Request request) {
        return pullOr404(request, pull -> {
            JsonObject change = request.json();
            if ("closed".equals(change.getString("state")) && pull.state.equals("open")) {
                pull.state = "closed";
                pull.closedBy = "afk-bot";
                pull.closedAt = now();
            }
            if (change.containsKey("title")) {
                pull.title = change.getString("title");
            }
            if (change.containsKey("body")) {
                pull.body = change.getString("body");
            }
            pull.updatedAt = now();
            return new Answer(200, GitHubJson.pullRequest("pull-request", request.repo(), pull, apiUrl()));
        });
    }

    /** GitHub's answers: 405 when it cannot merge (closed, conflict, required checks), 409 when the head moved. */
    private Answer mergePull(Request request) {
        return pullOr404(request, pull -> {
            FakeRepo repo = request.repo();
            JsonObject body = request.json();
            String method = body.getString("merge_method", "merge");
            if (!List.of("merge", "squash", "rebase").contains(method)) {
                return new Answer(422, validationFailed("Invalid request.\n\n" + method + " is not a member of [\"merge\", \"squash\", \"rebase\"]."));
            }
            String headSha = repo.head(pull.head).orElse(null);
            if (!pull.state.equals("open")) {
                return new Answer(405, error("Pull Request is not mergeable"));
            }
            if (body.getString("sha") != null && !body.getString("sha").equals(headSha)) {
                return new Answer(409, error("Head branch was modified. Review and try the merge again."));
            }
            if (pull.conflicting) {
                return new Answer(405, error("Pull Request is not mergeable"));
            }
            Optional<String> unmet = repo.unmetRequiredCheck(headSha);
            if (unmet.isPresent()) {
                return new Answer(405, error("Repository rule violations found\n\n" + unmet.get()));
            }
            List<FakeRepo.CommitRecord> branchCommits = repo.commits.stream().filter(c -> c.branch().equals(pull.head)).toList();
            String sha = switch (method) {
                case "squash" -> land(repo, pull.base, body.getString("commit_title", pull.title + " (#" + pull.number + ")")
                        + "\n\n" + String.join("\n\n", branchCommits.stream().map(c -> "* " + c.message()).toList()));
                case "rebase" -> branchCommits.stream().map(c -> land(repo, pull.base, c.message())).reduce((a, b) -> b).orElseThrow();
                default -> {
                    // The branch's commits become part of the base's history, then the merge commit.
                    branchCommits.forEach(c -> repo.commits.add(new FakeRepo.CommitRecord(c.sha(), pull.base, c.message(), now())));
                    yield land(repo, pull.base, "Merge pull request #" + pull.number + " from " + repo.owner + "/" + pull.head
                            + "\n\n" + pull.title);
                }
            };
            pull.state = "closed";
            pull.merged = true;
            pull.mergeCommitSha = sha;
            pull.mergedBy = "afk-bot";
            pull.closedAt = now();
            pull.updatedAt = pull.closedAt;
            return new Answer(200, new JsonObject().put("sha", sha).put("merged", true).put("message", "Pull Request successfully merged"));
        });
    }

    private String land(FakeRepo repo, String branch, String message) {
        String sha = sha();
        repo.commits.add(new FakeRepo.CommitRecord(sha, branch, message, now()));
        return sha;
    }

    private Answer pullOr404(Request request, Function<FakeRepo.PullRequest, Answer> then) {
        String number = request.param("pull_number");
        FakeRepo.PullRequest pull = number.matches("\\d{1,9}") ? request.repo().pulls.get(Integer.parseInt(number)) : null;
        return pull == null ? new Answer(404, error("Not Found")) : then.apply(pull);
    }

    private static JsonObject validationFailed(String message) {
        return new JsonObject().put("message", "Validation Failed").put("documentation_url", DOCS)
                .put("errors", new JsonArray().add(new JsonObject().put("resource", "PullRequest").put("code", "custom").put("message", message)));
    }

    private Answer listCommits(Request request) {
        String branch = request.query("sha", request.repo().defaultBranch);
        Instant since = Instant.parse(request.query("since", Instant.EPOCH.toString()));
        List<Object> items = new ArrayList<>();
        List<FakeRepo.CommitRecord> commits = request.repo().commits;
        if (!branch.equals(request.repo().defaultBranch) && commits.stream().noneMatch(c -> c.branch().equals(branch))) {
            return new Answer(404, error("No commit found for SHA: " + branch));
        }
        for (int i = commits.size() - 1; i >= 0; i--) {
            FakeRepo.CommitRecord commit = commits.get(i);
            if (commit.branch().equals(branch) && !commit.at().isBefore(since)) {
                items.add(GitHubJson.commit(request.repo(), commit, apiUrl()));
            }
        }
        return page(request, items);
    }

    private record Download(String log, Instant expires) {}

    /** GitHub: a 302 to a signed download URL of the job's plain-text log, valid for one minute. */
    private Answer jobLogs(Request request) {
        long job;
        try {
            job = Long.parseLong(request.param("job_id"));
        } catch (NumberFormatException e) {
            return new Answer(404, error("Not Found"));
        }
        String log = request.repo().jobLogs.get(job);
        if (log == null) {
            return new Answer(404, error("Not Found"));
        }
        String signature = HexFormat.of().formatHex(digest("download-" + nextId() + "-" + job));
        downloads.put(signature, new Download(log, Instant.now().plus(Duration.ofMinutes(1))));
        return new Answer(302, null, Map.of("Location", apiUrl() + "/signed/job-logs/" + signature + "?urlSigningMethod=HMACV1"), false);
    }

    /**
     * The signed URL, served off the API as blob storage does: the signature is the credential, so
     * a request that also carries an Authorization header is refused (and recorded with it).
     */
    private void download(RoutingContext ctx) {
        String token = presentedToken(ctx);
        Download download;
        synchronized (this) {
            download = downloads.get(ctx.pathParam("download"));
        }
        int status = token != null ? 400 : download == null || Instant.now().isAfter(download.expires()) ? 403 : 200;
        calls.add(new Call("GET", "signed job log download", ctx.request().path(), ctx.request().query(), token, null, status,
                false, false, Instant.now()));
        if (status != 200) {
            ctx.response().setStatusCode(status).putHeader("Content-Type", "application/xml").end("<Error><Code>"
                    + (status == 400 ? "InvalidAuthenticationInfo" : "AuthenticationFailed") + "</Code></Error>");
            return;
        }
        downloadsServed.incrementAndGet();
        ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8").end(download.log());
    }

    /** Signed log downloads answered with the log. */
    public long downloadsServed() {
        return downloadsServed.get();
    }

    private Answer checkRuns(Request request) {
        String ref = request.param("ref");
        List<Object> runs = request.repo().checkRuns.stream().filter(r -> r.sha().equals(ref))
                .map(r -> (Object) GitHubJson.checkRun(request.repo(), r, apiUrl())).toList();
        Slice slice = slice(request, runs);
        return new Answer(200, new JsonObject().put("total_count", runs.size()).put("check_runs", slice.json()), slice.links(), false);
    }

    private Answer combinedStatus(Request request) {
        String ref = request.param("ref");
        List<FakeRepo.Status> statuses = request.repo().statuses.stream().filter(s -> s.sha().equals(ref)).toList();
        Slice slice = slice(request, new ArrayList<>(statuses));
        List<FakeRepo.Status> onPage = slice.items().stream().map(FakeRepo.Status.class::cast).toList();
        return new Answer(200, GitHubJson.combinedStatus(request.repo(), ref, statuses, onPage, apiUrl()), slice.links(), false);
    }

    private Answer workflowRuns(Request request) {
        String headSha = request.query("head_sha", null);
        List<Object> runs = request.repo().workflowRuns.stream().filter(r -> headSha == null || r.sha().equals(headSha))
                .map(r -> (Object) GitHubJson.workflowRun(request.repo(), r, apiUrl())).toList();
        Slice slice = slice(request, runs);
        return new Answer(200, new JsonObject().put("total_count", runs.size()).put("workflow_runs", slice.json()), slice.links(), false);
    }

    private Answer rateLimitOverview(Request request) {
        String key = budgetOfToken.get(request.ctx().request().getHeader("Authorization").replaceFirst("^(?i)(bearer|token)\\s+", ""));
        Budget budget = budget(key);
        return new Answer(200, GitHubJson.rateLimit(rateLimit, budget.remaining, budget.reset));
    }

    private Answer contents(Request request) {
        String path = request.ctx().pathParam("param2");
        String content = request.repo().files.get(path);
        if (content == null) {
            return new Answer(404, error("Not Found"));
        }
        return new Answer(200, new JsonObject().put("type", "file").put("encoding", "base64").put("path", path)
                .put("name", path.substring(path.lastIndexOf('/') + 1)).put("size", content.length())
                .put("content", Base64.getMimeEncoder().encodeToString(content.getBytes(StandardCharsets.UTF_8))));
    }

    private Answer issueOr404(Request request, Function<FakeRepo.Issue, Answer> then) {
        FakeRepo.Issue issue;
        try {
            issue = request.repo().issues.get(Integer.parseInt(request.param("issue_number")));
        } catch (NumberFormatException e) {
            issue = null;
        }
        return issue == null ? new Answer(404, error("Not Found")) : then.apply(issue);
    }

    /** A list answered as a bare array, one page of it. */
    private Answer page(Request request, List<Object> items) {
        Slice slice = slice(request, items);
        return new Answer(200, slice.json(), slice.links(), false);
    }

    /** One page of a list and its {@code Link} header. */
    private record Slice(List<Object> items, Map<String, String> links) {

        JsonArray json() {
            return new JsonArray(new ArrayList<>(items));
        }
    }

    /** GitHub's pagination: {@code per_page} (max 100), {@code page}, and a {@code Link} header. */
    private Slice slice(Request request, List<Object> items) {
        int perPage = Math.min(100, Math.max(1, Integer.parseInt(request.query("per_page", "30"))));
        int page = Math.max(1, Integer.parseInt(request.query("page", "1")));
        int pages = Math.max(1, (items.size() + perPage - 1) / perPage);
        List<Object> onPage = items.subList(Math.min(items.size(), (page - 1) * perPage), Math.min(items.size(), page * perPage));
        Map<String, String> headers = new HashMap<>();
        if (pages > 1) {
            List<String> links = new ArrayList<>();
            if (page < pages) {
                links.add("<" + pageUrl(request, page + 1) + ">; rel=\"next\"");
                links.add("<" + pageUrl(request, pages) + ">; rel=\"last\"");
            }
            if (page > 1) {
                links.add("<" + pageUrl(request, 1) + ">; rel=\"first\"");
                links.add("<" + pageUrl(request, page - 1) + ">; rel=\"prev\"");
            }
            if (!links.isEmpty()) {
                headers.put("Link", String.join(", ", links));
            }
        }
        return new Slice(List.copyOf(onPage), headers);
    }

    private String pageUrl(Request request, int page) {
        StringBuilder url = new StringBuilder(apiUrl()).append(request.ctx().request().path()).append("?");
        request.ctx().queryParams().forEach((name, value) -> {
            if (!name.equals("page")) {
                url.append(java.net.URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                        .append(java.net.URLEncoder.encode(value, StandardCharsets.UTF_8)).append('&');
            }
        });
        return url.append("page=").append(page).toString();
    }
}
