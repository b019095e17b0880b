package dev.afk.controlplane.fakes.t3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A stateful T3 Code server on 127.0.0.1 that follows t3-api.md and answers the golden exchanges
 * of contracts/t3-v0.0.27 with the same status, content type and body shape. Versions before 0.0.29
 * have only {@code /snapshot} (unknown routes answer the web UI's HTML with 200); 0.0.29+ add
 * {@code /shell} and {@code /threads/{id}}; from 0.0.32 {@code /snapshot} carries no thread bodies.
 *
 * <p>Script agents with {@link #onTurnStart(String, AgentScript...)}, inspect what was dispatched
 * with {@link #dispatched()}, {@link #received(String)} and {@link #executed(String)}.
 */
public final class FakeT3Server implements AutoCloseable {

    /** Scopes of a token issued by {@code t3 auth session issue}. */
    public static final List<String> ADMIN_SCOPES = List.of("orchestration:read", "orchestration:operate",
            "terminal:operate", "review:write", "relay:read", "access:read", "access:write", "relay:write");

    private static final String HTML = "<!doctype html><html><head><title>T3 Code</title></head><body><div id=\"root\"></div></body></html>";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        java.lang.Thread thread = new java.lang.Thread(r, "fake-t3");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, Set<String>> tokens = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> pairingCredentials = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger unauthorised = new AtomicInteger();
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicInteger failuresToInject = new AtomicInteger();
    private final AtomicInteger responsesToDrop = new AtomicInteger();
    private final AtomicReference<CountDownLatch> hang = new AtomicReference<>();
    private final String environmentId = UUID.randomUUID().toString();
    private volatile String version = "0.0.32";
    private volatile int injectedStatus = 503;
    private volatile String injectedReason = "engine_not_ready";
    private volatile String adminToken;
    private volatile FakeT3Orchestration orchestration = new FakeT3Orchestration(mapper);

    public FakeT3Server() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(workers);
        server.createContext("/", this::handle);
        adminToken = issueToken(ADMIN_SCOPES.toArray(String[]::new));
    }

    public FakeT3Server start() {
        server.start();
        return this;
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        workers.shutdownNow();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    // ---- configuration for tests ----------------------------------------------------------------

    /** The version {@code /.well-known/t3/environment} reports; it also chooses the routes served. */
    public FakeT3Server version(String version) {
        this.version = version;
        return this;
    }

    public String version() {
        return version;
    }

    /** A token with exactly these scopes. */
    public String issueToken(String... scopes) {
        String token = randomToken();
        tokens.put(token, new LinkedHashSet<>(Arrays.asList(scopes)));
        return token;
    }

    /** The administrative token the server started with. */
    public String adminToken() {
        return adminToken;
    }

    public void revoke(String token) {
        tokens.remove(token);
    }

    /** Treats this path as an existing directory for {@code project.create}. */
    public FakeT3Server directory(String path) {
        orchestration.directory(path);
        return this;
    }

    /** The next turns started on the thread follow these scripts, in order. */
    public FakeT3Server onTurnStart(String threadId, AgentScript... scripts) {
        orchestration.script(threadId, scripts);
        return this;
    }

    /** What agents do on threads without a script (initially: complete). */
    public FakeT3Server defaultScript(AgentScript script) {
        return defaultScript(prompt -> script);
    }

    /** What agents do on threads without a script, chosen by the prompt of the turn being started. */
    public FakeT3Server defaultScript(java.util.function.Function<String, AgentScript> byPrompt) {
        orchestration.defaultScript(byPrompt);
        return this;
    }

    /**
     * The next {@code count} orchestration requests are not processed and answer this status with a
     * T3 error body of this {@code reason} (e.g. 503 while starting, 400 {@code invalid_command}),
     * or with an empty body when {@code reason} is null.
     */
    public FakeT3Server failNext(int count, int status, String reason) {
        injectedStatus = status;
        injectedReason = reason;
        failuresToInject.set(count);
        return this;
    }

    /** The next {@code count} dispatches are executed, but their answer is lost (a 502 from a proxy). */
    public FakeT3Server dropResponses(int count) {
        responsesToDrop.set(count);
        return this;
    }

    /** Every request from now on is accepted and never answered, until {@link #release()}. */
    public FakeT3Server hang() {
        hang.set(new CountDownLatch(1));
        return this;
    }

    public FakeT3Server release() {
        CountDownLatch latch = hang.getAndSet(null);
        if (latch != null) {
            latch.countDown();
        }
        return this;
    }

    /** Back to a fresh 0.0.32 server: no state, no scripts, only the admin token. */
    public synchronized FakeT3Server reset() {
        release();
        orchestration = new FakeT3Orchestration(mapper);
        version = "0.0.32";
        failuresToInject.set(0);
        responsesToDrop.set(0);
        tokens.clear();
        pairingCredentials.clear();
        tokens.put(adminToken, new LinkedHashSet<>(ADMIN_SCOPES));
        requests.clear();
        unauthorised.set(0);
        bytesSent.set(0);
        return this;
    }

    // ---- inspection -----------------------------------------------------------------------------

    /** Every command accepted past schema checks, in order, retries included. */
    public List<JsonNode> dispatched() {
        return orchestration.dispatched();
    }

    /** How often a command with this id arrived. */
    public int received(String commandId) {
        return orchestration.received(commandId);
    }

    /** How often a command with this id was executed (at most once: receipts make retries no-ops). */
    public int executed(String commandId) {
        return orchestration.executed(commandId);
    }

    public boolean hasThread(String threadId) {
        return orchestration.hasThread(threadId);
    }

    /** "METHOD path" of every request received. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** Bytes of every response body sent so far (what a reader of T3 downloads). */
    public long bytesSent() {
        return bytesSent.get();
    }

    /** How many requests were answered 401. */
    public int unauthorisedCount() {
        return unauthorised.get();
    }

    // ---- HTTP -----------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            requests.add(method + " " + path);
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            CountDownLatch latch = hang.get();
            if (latch != null) {
                awaitQuietly(latch);
                return;
            }
            route(exchange, method, path, body);
        } catch (RuntimeException e) {
            send(exchange, 500, null, "");
        } finally {
            exchange.close();
        }
    }

    private void route(HttpExchange exchange, String method, String path, String body) throws IOException {
        boolean shellRoutes = atLeast("0.0.29");
        if (path.startsWith("/api/orchestration/") && failuresToInject.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            if (injectedReason == null) {
                send(exchange, injectedStatus, null, "");
            } else {
                String tag = injectedStatus < 500 ? "EnvironmentRequestInvalidError" : "EnvironmentInternalError";
                json(exchange, injectedStatus, error(tag, injectedStatus < 500 ? "invalid_request" : "internal_error")
                        .put("reason", injectedReason));
            }
            return;
        }
        switch (method + " " + path) {
            case "GET /.well-known/t3/environment" -> json(exchange, 200, environment());
            case "GET /api/auth/session" -> json(exchange, 200, session(exchange));
            case "POST /api/auth/pairing-token" -> {
                if (authorised(exchange, "access:write")) {
                    json(exchange, 200, pairingToken(body));
                }
            }
            case "POST /oauth/token" -> tokenExchange(exchange, body);
            case "GET /api/orchestration/snapshot" -> {
                if (authorised(exchange, "orchestration:read")) {
                    json(exchange, 200, orchestration.snapshot(!atLeast("0.0.32")));
                }
            }
            case "POST /api/orchestration/dispatch" -> {
                if (authorised(exchange, "orchestration:operate")) {
                    dispatch(exchange, body);
                }
            }
            default -> {
                if (shellRoutes && method.equals("GET") && path.equals("/api/orchestration/shell")) {
                    if (authorised(exchange, "orchestration:read")) {
                        json(exchange, 200, orchestration.shell());
                    }
                } else if (shellRoutes && method.equals("GET") && path.startsWith("/api/orchestration/threads/")) {
                    if (authorised(exchange, "orchestration:read")) {
                        String id = URLDecoder.decode(path.substring("/api/orchestration/threads/".length()), StandardCharsets.UTF_8);
                        ObjectNode thread = orchestration.thread(id);
                        if (thread == null) {
                            json(exchange, 404, error("OrchestrationThreadNotFoundError", "thread_not_found").put("threadId", id));
                        } else {
                            json(exchange, 200, thread);
                        }
                    }
                } else if (method.equals("GET")) {
                    // The web UI's catch-all: unknown routes answer index.html with 200.
                    send(exchange, 200, "text/html; charset=utf-8", HTML);
                } else {
                    send(exchange, 404, null, "");
                }
            }
        }
    }

    private void dispatch(HttpExchange exchange, String body) throws IOException {
        JsonNode command;
        try {
            command = mapper.readTree(body);
        } catch (IOException malformed) {
            send(exchange, 500, null, "");
            return;
        }
        try {
            long sequence = orchestration.dispatch(command);
            if (responsesToDrop.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                send(exchange, 502, "text/plain", "Bad Gateway");
                return;
            }
            json(exchange, 200, mapper.createObjectNode().put("sequence", sequence));
        } catch (FakeT3Orchestration.SchemaError e) {
            send(exchange, 400, null, "");
        } catch (FakeT3Orchestration.InvalidCommand e) {
            json(exchange, 400, error("EnvironmentRequestInvalidError", "invalid_request").put("reason", "invalid_command"));
        } catch (FakeT3Orchestration.DispatchFailed e) {
            json(exchange, 500, error("EnvironmentInternalError", "internal_error").put("reason", "orchestration_dispatch_failed"));
        }
    }

    private ObjectNode environment() {
        ObjectNode env = mapper.createObjectNode().put("environmentId", environmentId).put("label", "fake");
        env.putObject("platform").put("os", "linux").put("arch", "x64");
        env.put("serverVersion", version);
        env.putObject("capabilities").put("repositoryIdentity", true);
        return env;
    }

    private ObjectNode session(HttpExchange exchange) {
        String token = bearer(exchange);
        Set<String> scopes = token == null ? null : tokens.get(token);
        ObjectNode session = mapper.createObjectNode().put("authenticated", scopes != null);
        ObjectNode auth = session.putObject("auth").put("policy", "loopback-browser");
        auth.putArray("bootstrapMethods").add("one-time-token");
        auth.putArray("sessionMethods").add("browser-session-cookie").add("bearer-access-token").add("dpop-access-token");
        auth.put("sessionCookieName", "t3_session");
        if (scopes != null) {
            scopes.forEach(session.putArray("scopes")::add);
            session.put("sessionMethod", "bearer-access-token")
                    .put("expiresAt", Instant.now().plusSeconds(30L * 24 * 3600).toString());
        }
        return session;
    }

    private ObjectNode pairingToken(String body) throws IOException {
        JsonNode request = mapper.readTree(body);
        Set<String> scopes = new LinkedHashSet<>();
        request.path("scopes").forEach(s -> scopes.add(s.asText()));
        String credential = randomToken();
        pairingCredentials.put(credential, scopes.isEmpty() ? new LinkedHashSet<>(ADMIN_SCOPES) : scopes);
        return mapper.createObjectNode().put("id", UUID.randomUUID().toString()).put("credential", credential)
                .put("label", request.path("label").asText("")).put("expiresAt", Instant.now().plusSeconds(300).toString());
    }

    /** RFC 8693 exchange of a one-time pairing credential for a bearer token. */
    private void tokenExchange(HttpExchange exchange, String body) throws IOException {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            String[] kv = pair.split("=", 2);
            form.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        Set<String> granted = pairingCredentials.remove(form.getOrDefault("subject_token", ""));
        if (granted == null) {
            json(exchange, 401, error("EnvironmentAuthInvalidError", "auth_invalid").put("reason", "invalid_credential"));
            return;
        }
        List<String> requested = form.containsKey("scope")
                ? List.of(form.get("scope").split(" ")) : new ArrayList<>(granted);
        if (!granted.containsAll(requested)) {
            json(exchange, 400, error("EnvironmentRequestInvalidError", "invalid_request").put("reason", "scope_not_granted"));
            return;
        }
        String token = issueToken(requested.toArray(String[]::new));
        exchange.getResponseHeaders().add("Cache-Control", "no-store");
        json(exchange, 200, mapper.createObjectNode().put("access_token", token)
                .put("issued_token_type", "urn:ietf:params:oauth:token-type:access_token").put("token_type", "Bearer")
                .put("expires_in", 2591999).put("scope", String.join(" ", requested)));
    }

    /** 401 without or with an unknown token, 403 without the scope; true when the request may go on. */
    private boolean authorised(HttpExchange exchange, String scope) throws IOException {
        String token = bearer(exchange);
        Set<String> scopes = token == null ? null : tokens.get(token);
        if (scopes == null) {
            unauthorised.incrementAndGet();
            json(exchange, 401, error("EnvironmentAuthInvalidError", "auth_invalid")
                    .put("reason", token == null ? "missing_credential" : "invalid_credential"));
            return false;
        }
        if (!scopes.contains(scope)) {
            json(exchange, 403, error("EnvironmentScopeRequiredError", "insufficient_scope").put("requiredScope", scope));
            return false;
        }
        return true;
    }

    private static String bearer(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        return header != null && header.startsWith("Bearer ") ? header.substring("Bearer ".length()).strip() : null;
    }

    /** Every T3 error body has {@code _tag}, {@code code} and {@code traceId}; callers add the rest. */
    private ObjectNode error(String tag, String code) {
        byte[] trace = new byte[16];
        RANDOM.nextBytes(trace);
        ObjectNode error = mapper.createObjectNode().put("_tag", tag).put("code", code);
        error.put("traceId", HexFormat.of().formatHex(trace));
        return error;
    }

    /** traceId goes last, as T3 writes it. */
    private void json(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        if (body.has("traceId")) {
            String trace = body.remove("traceId").asText();
            body.put("traceId", trace);
        }
        send(exchange, status, "application/json", mapper.writeValueAsString(body));
    }

    private void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        bytesSent.addAndGet(bytes.length);
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    private boolean atLeast(String minimum) {
        int[] have = Arrays.stream(version.split("\\.")).mapToInt(Integer::parseInt).toArray();
        int[] need = Arrays.stream(minimum.split("\\.")).mapToInt(Integer::parseInt).toArray();
        return Arrays.compare(have, need) >= 0;
    }

    private static String randomToken() {
        byte[] payload = new byte[24];
        RANDOM.nextBytes(payload);
        byte[] mac = new byte[32];
        RANDOM.nextBytes(mac);
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString(payload) + "." + b64.encodeToString(mac);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            java.lang.Thread.currentThread().interrupt();
        }
    }
}
