package dev.afk.controlplane.agents;

import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.net.SocketAddress;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Creates and removes labelled busybox containers on the test engine (podman's Docker API), the
 * way Trinity creates agent containers. Names carry a prefix unique to this test run.
 */
public final class EngineFixture implements AutoCloseable {

    public static final String IMAGE = "localhost/afk-busybox:1";
    /** Unique per run, so runs never see each other's containers. */
    public static final String RUN = "t" + UUID.randomUUID().toString().substring(0, 6);

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    private final WebClient client = WebClient.create(vertx);
    private final SocketAddress socket;
    private final List<String> created = new ArrayList<>();

    public EngineFixture() {
        this(ConfigProvider.getConfig().getValue("afk.agents.engine.host", String.class));
    }

    public EngineFixture(String dockerHost) {
        if (!dockerHost.startsWith("unix://")) {
            throw new IllegalStateException("Tests expect the engine on a unix socket, not " + dockerHost);
        }
        socket = SocketAddress.domainSocketAddress(dockerHost.substring("unix://".length()));
    }

    /** A unique agent name for this run. */
    public static String agentName(String hint) {
        return RUN + "-" + hint + "-" + UUID.randomUUID().toString().substring(0, 4);
    }

    /** Creates (does not start) container {@code agent-{name}} with Trinity's labels; returns its id. */
    public String createAgentContainer(String agentName, String harness) {
        JsonObject labels = new JsonObject()
                .put("trinity.platform", "agent")
                .put("trinity.agent-name", agentName)
                .put("trinity.agent-runtime", harness)
                .put("trinity.ssh-port", "2222")
                .put("trinity.cpu", "2")
                .put("trinity.memory", "4g")
                .put("trinity.created", "2026-11-01T10:00:00Z")
                .put("trinity.template", "")
                .put("trinity.base-image-version", "0.8.1");
        return create("agent-" + agentName, labels, List.of("sh", "-c", "trap 'exit 0' TERM; echo started; echo oops >&2; sleep 3600 & wait"));
    }

    public String create(String containerName, JsonObject labels, List<String> cmd) {
        // Soft = hard ulimits given explicitly: podman's compat API swaps its defaults (toolchain.md).
        JsonObject body = new JsonObject()
                .put("Image", IMAGE)
                .put("Cmd", new JsonArray(cmd))
                .put("Labels", labels)
                .put("HostConfig", new JsonObject()
                        .put("NetworkMode", "none")
                        .put("Ulimits", new JsonArray()
                                .add(new JsonObject().put("Name", "nofile").put("Soft", 1024).put("Hard", 1024))
                                .add(new JsonObject().put("Name", "nproc").put("Soft", 4096).put("Hard", 4096))));
        HttpResponse<Buffer> response = client.request(HttpMethod.POST, socket, "/v1.41/containers/create")
                .addQueryParam("name", containerName)
                .sendJsonObject(body).await().atMost(Duration.ofSeconds(30));
        if (response.statusCode() != 201) {
            throw new IllegalStateException("create " + containerName + ": " + response.statusCode() + " " + response.bodyAsString());
        }
        created.add(containerName);
        return response.bodyAsJsonObject().getString("Id");
    }

    public void start(String containerName) {
        expect(client.request(HttpMethod.POST, socket, "/v1.41/containers/" + containerName + "/start")
                .send().await().atMost(Duration.ofSeconds(30)), 204, 304);
    }

    public void remove(String containerName) {
        expect(client.request(HttpMethod.DELETE, socket, "/v1.41/containers/" + containerName)
                .addQueryParam("force", "true").addQueryParam("t", "0")
                .send().await().atMost(Duration.ofSeconds(60)), 204, 404);
        created.remove(containerName);
    }

    /** Puts a file into the container (running or not), creating its directories, through the archive API. */
    public void putFile(String containerName, String path, byte[] content) {
        java.io.ByteArrayOutputStream tar = new java.io.ByteArrayOutputStream();
        try (var out = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(tar)) {
            var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(path.substring(1));
            entry.setSize(content.length);
            out.putArchiveEntry(entry);
            out.write(content);
            out.closeArchiveEntry();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        expect(client.request(HttpMethod.PUT, socket, "/v1.41/containers/" + containerName + "/archive")
                .addQueryParam("path", "/").putHeader("Content-Type", "application/x-tar")
                .sendBuffer(Buffer.buffer(tar.toByteArray())).await().atMost(Duration.ofSeconds(30)), 200);
    }

    /** The file at {@code path} in the container, read through the archive API. */
    public String readFile(String containerName, String path) {
        HttpResponse<Buffer> response = client.request(HttpMethod.GET, socket, "/v1.41/containers/" + containerName + "/archive")
                .addQueryParam("path", path).send().await().atMost(Duration.ofSeconds(30));
        expect(response, 200);
        try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
                new java.io.ByteArrayInputStream(response.body().getBytes()))) {
            in.getNextEntry();
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Raw JSON of an engine GET, for contract checks. */
    public HttpResponse<Buffer> get(String path, Map<String, String> query) {
        var request = client.request(HttpMethod.GET, socket, "/v1.41" + path);
        query.forEach(request::addQueryParam);
        return request.send().await().atMost(Duration.ofSeconds(30));
    }

    @Override
    public void close() {
        for (String name : List.copyOf(created)) {
            try {
                remove(name);
            } catch (RuntimeException e) {
                System.err.println("Could not remove test container " + name + ": " + e.getMessage());
            }
        }
        client.close();
        vertx.closeAndAwait();
    }

    private static void expect(HttpResponse<Buffer> response, int... statuses) {
        for (int status : statuses) {
            if (response.statusCode() == status) {
                return;
            }
        }
        throw new IllegalStateException("engine answered " + response.statusCode() + " " + response.bodyAsString());
    }
}
