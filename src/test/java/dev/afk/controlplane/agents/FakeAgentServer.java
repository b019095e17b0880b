package dev.afk.controlplane.agents;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Container agents' own HTTP servers, faked: Trinity's {@code POST /api/task} contract
 * (trinity-agents.md §5.2) for every agent at {@code /agents/{name}}. A message starting with
 * "hold" is answered only after {@link #release()}; "fail" answers 503. Received tasks and
 * {@code POST /api/executions/{id}/terminate} calls are kept.
 * Declared as a test resource on itself, so it applies to the whole suite.
 */
@QuarkusTestResource(FakeAgentServer.class)
public class FakeAgentServer implements QuarkusTestResourceLifecycleManager {

    public record Received(String agent, String executionId, String message) {}

    private static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();
    private static final List<String> TERMINATED = new CopyOnWriteArrayList<>();
    private static volatile CountDownLatch held = new CountDownLatch(1);
    private HttpServer server;

    public static List<Received> received() {
        return List.copyOf(RECEIVED);
    }

    /** Execution ids the registry asked to terminate. */
    public static List<String> terminated() {
        return List.copyOf(TERMINATED);
    }

    /** Answers every held task, and holds none afterwards until {@link #holdAgain()}. */
    public static void release() {
        held.countDown();
    }

    public static void holdAgain() {
        held = new CountDownLatch(1);
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/agents/", this::handle);
        server.start();
        return Map.of("afk.agents.container.agent-url",
                "http://127.0.0.1:" + server.getAddress().getPort() + "/agents/{name}");
    }

    @Override
    public void stop() {
        held.countDown();
        if (server != null) {
            server.stop(0);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String[] path = exchange.getRequestURI().getPath().split("/");
        // /agents/{name}/api/executions/{id}/terminate
        if ("POST".equals(exchange.getRequestMethod()) && path.length == 7 && "executions".equals(path[4])
                && "terminate".equals(path[6])) {
            TERMINATED.add(path[5]);
            respond(exchange, 200, new JsonObject().put("status", "terminated"));
            return;
        }
        // /agents/{name}/api/task
        if (!"POST".equals(exchange.getRequestMethod()) || path.length != 5 || !"api".equals(path[3]) || !"task".equals(path[4])) {
            respond(exchange, 404, new JsonObject().put("detail", "Not Found"));
            return;
        }
        JsonObject request = new JsonObject(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String message = request.getString("message", "");
        RECEIVED.add(new Received(path[2], request.getString("execution_id"), message));
        if (message.startsWith("hold")) {
            try {
                held.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (message.startsWith("fail")) {
            respond(exchange, 503, new JsonObject().put("detail", "auth failed"));
            return;
        }
        respond(exchange, 200, new JsonObject()
                .put("response", "done: " + message)
                .put("status", "success")
                .put("session_id", "s-1")
                .put("execution_log", new io.vertx.core.json.JsonArray())
                .put("metadata", new JsonObject().put("execution_id", request.getString("execution_id")).put("num_turns", 1))
                .put("timestamp", "2026-11-24T12:00:00Z"));
    }

    private static void respond(HttpExchange exchange, int status, JsonObject body) throws IOException {
        byte[] bytes = body.encode().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
