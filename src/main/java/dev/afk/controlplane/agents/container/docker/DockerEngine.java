package dev.afk.controlplane.agents.container.docker;

import dev.afk.controlplane.agents.container.AgentContainer;
import dev.afk.controlplane.agents.container.ContainerEngine;
import dev.afk.controlplane.agents.container.ContainerEvent;
import dev.afk.controlplane.agents.container.ContainerStats;
import dev.afk.controlplane.agents.container.EngineListing;
import dev.afk.controlplane.agents.container.EngineUnavailableException;
import dev.afk.controlplane.agents.container.LogLine;
import dev.afk.controlplane.agents.container.NoSuchContainerException;
import dev.afk.controlplane.agents.container.UnreadableFileException;
import dev.afk.controlplane.agents.runtime.RegistryConfig;
import io.quarkus.runtime.Startup;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.parsetools.RecordParser;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

/**
 * {@link ContainerEngine} over the Docker Engine API (Docker, or podman's compatible service), on
 * a unix socket or TCP, with Vert.x' non-blocking client (the REST Client does not speak over a
 * unix socket, ADR 0008). Every call has a deadline; consecutive failures open a circuit breaker.
 */
@ApplicationScoped
@Startup // a malformed engine address fails the start, not the first request
public class DockerEngine implements ContainerEngine {

    private static final Logger LOG = Logger.getLogger(DockerEngine.class);
    /** Docker's list filter, a JSON map of string lists. */
    static final String AGENT_FILTER = new JsonObject()
            .put("label", new JsonArray().add(AgentContainer.PLATFORM_LABEL + "=" + AgentContainer.PLATFORM_AGENT))
            .encode();
    /** The same label, container events only. */
    static final String EVENT_FILTER = new JsonObject()
            .put("type", new JsonArray().add("container"))
            .put("label", new JsonArray().add(AgentContainer.PLATFORM_LABEL + "=" + AgentContainer.PLATFORM_AGENT))
            .encode();
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    /** A one-file tar's headers and padding beyond the file itself. */
    private static final int TAR_OVERHEAD = 64 * 1024;

    private final WebClient client;
    /** The event stream holds its connection open for as long as it runs: a pool of its own. */
    private final HttpClient streams;
    private final EngineAddress address;
    private final String prefix;
    private final Duration timeout;
    private final TypedGuard<Uni<HttpResponse<Buffer>>> breaker;

    @Inject
    DockerEngine(Vertx vertx, RegistryConfig config) {
        this(vertx, config.engine().host(), config.engine().apiVersion(), config.engine().timeout(),
                config.engine().breakerFailures(), config.engine().breakerOpenFor());
    }

    /** An engine client of its own, e.g. for a second engine or a test. */
    public DockerEngine(Vertx vertx, String dockerHost, String apiVersion, Duration timeout, int breakerFailures,
            Duration breakerOpenFor) {
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setConnectTimeout((int) timeout.toMillis())
                .setKeepAlive(true)
                .setMaxPoolSize(8)
                .setUserAgent("afk-control-plane"));
        this.streams = vertx.getDelegate().createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) timeout.toMillis()));
        this.address = EngineAddress.parse(dockerHost);
        this.prefix = "/v" + apiVersion;
        this.timeout = timeout;
        this.breaker = breaker(breakerFailures, breakerOpenFor);
    }

    /**
     * Opens after {@code failures} consecutive failed calls (every call of the window failed), stays
     * open for {@code openFor}, then lets one trial call through: callers answer "unavailable" at once
     * instead of waiting on every request for a timeout.
     */
    static <T> TypedGuard<Uni<T>> breaker(int failures, Duration openFor) {
        return TypedGuard.create(new TypeLiteral<Uni<T>>() {})
                .withCircuitBreaker()
                .requestVolumeThreshold(failures)
                .failureRatio(1.0)
                .delay(openFor.toMillis(), ChronoUnit.MILLIS)
                .successThreshold(1)
                .failOn(EngineUnavailableException.class)
                .done()
                .build();
    }

    @PreDestroy
    public void close() {
        client.close();
        streams.close();
    }

    @Override
    public Uni<EngineListing> listAgents() {
        return call(HttpMethod.GET, "/containers/json", r -> r.addQueryParam("all", "true").addQueryParam("filters", AGENT_FILTER))
                .map(response -> {
                    expect(response, 200);
                    return EngineListing.of(summaries(response.bodyAsJsonArray()));
                })
                .onFailure(EngineUnavailableException.class)
                .recoverWithItem(e -> EngineListing.unavailable(e.getMessage()));
    }

    @Override
    public Multi<ContainerEvent> events() {
        String uri = prefix + "/events?filters=" + URLEncoder.encode(EVENT_FILTER, StandardCharsets.UTF_8);
        return Multi.createFrom().emitter(emitter -> {
            RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setServer(address.socket().getDelegate())
                    .setHost("localhost").setURI(uri).setConnectTimeout(timeout.toMillis());
            AtomicReference<HttpClientRequest> open = new AtomicReference<>();
            emitter.onTermination(() -> {
                HttpClientRequest request = open.get();
                if (request != null) {
                    request.reset();
                }
            });
            streams.request(options)
                    .onSuccess(open::set)
                    .compose(HttpClientRequest::send)
                    .onFailure(e -> {
                        LOG.debugf("Engine event stream failed: %s", e.toString());
                        emitter.fail(unreachable(e));
                    })
                    .onSuccess(response -> {
                        if (response.statusCode() != 200) {
                            emitter.fail(new EngineUnavailableException("The container engine answered " + response.statusCode()
                                    + " to its event stream"));
                            return;
                        }
                        emitter.emit(ContainerEvent.connected());
                        RecordParser lines = RecordParser.newDelimited("\n", response);
                        lines.handler(line -> event(line).ifPresent(emitter::emit));
                        lines.exceptionHandler(e -> emitter.fail(unreachable(e)));
                        lines.endHandler(ignored -> emitter.complete());
                    });
        });
    }

    /**
     * One line of the stream in the registry's terms; empty for what does not change a container
     * (exec, attach, health, podman's init and cleanup…) and for a line that is not an event.
     */
    static Optional<ContainerEvent> event(io.vertx.core.buffer.Buffer line) {
        if (line.length() == 0 || line.toString().isBlank()) {
            return Optional.empty();
        }
        JsonObject event;
        try {
            event = line.toJsonObject();
        } catch (RuntimeException e) {
            LOG.debugf("Not an engine event: %s", e.getMessage());
            return Optional.empty();
        }
        JsonObject actor = event.getJsonObject("Actor", new JsonObject());
        JsonObject attributes = actor.getJsonObject("Attributes", new JsonObject());
        String id = actor.getString("ID", event.getString("id"));
        String action = event.getString("Action", event.getString("status", ""));
        if (id == null || !"container".equals(event.getString("Type", "container"))) {
            return Optional.empty();
        }
        ContainerEvent.Kind kind = ContainerEvent.Kind.CHANGED;
        String state;
        switch (action) {
            case "create" -> state = "created";
            case "start", "restart", "unpause" -> state = "running";
            case "die", "stop" -> state = "exited";
            case "pause" -> state = "paused";
            case "rename" -> state = null;
            case "destroy", "remove" -> {
                kind = ContainerEvent.Kind.REMOVED;
                state = null;
            }
            default -> {
                return Optional.empty();
            }
        }
        // Attributes mix the container's labels with the event's own fields (name, image, exitCode…).
        Map<String, String> labels = new LinkedHashMap<>();
        attributes.forEach(e -> {
            if (e.getKey().startsWith("trinity.")) {
                labels.put(e.getKey(), String.valueOf(e.getValue()));
            }
        });
        Long nanos = event.getLong("timeNano");
        Instant time = nanos != null ? Instant.ofEpochSecond(0, nanos)
                : event.getLong("time") != null ? Instant.ofEpochSecond(event.getLong("time")) : null;
        return Optional.of(new ContainerEvent(kind, id, attributes.getString("name", id), state,
                attributes.getString("image", event.getString("from")), labels, time));
    }

    private EngineUnavailableException unreachable(Throwable e) {
        return new EngineUnavailableException("The container engine at " + address.display()
                + " cannot be reached: " + e.getClass().getSimpleName());
    }

    @Override
    public Uni<Optional<AgentContainer>> inspect(String containerName) {
        return call(HttpMethod.GET, "/containers/" + containerName + "/json", r -> r)
                .map(response -> {
                    if (response.statusCode() == 404) {
                        return Optional.<AgentContainer>empty();
                    }
                    expect(response, 200);
                    return Optional.of(inspected(response.bodyAsJsonObject()))
                            .filter(c -> AgentContainer.PLATFORM_AGENT.equals(c.labels().get(AgentContainer.PLATFORM_LABEL)));
                });
    }

    @Override
    public Uni<Void> start(String containerName) {
        return change(HttpMethod.POST, "/containers/" + containerName + "/start", containerName, r -> r, timeout);
    }

    @Override
    public Uni<Void> stop(String containerName) {
        // The engine answers only after the grace period, when the process ignores SIGTERM.
        return change(HttpMethod.POST, "/containers/" + containerName + "/stop", containerName,
                r -> r.addQueryParam("t", String.valueOf(STOP_GRACE.toSeconds())), timeout.plus(STOP_GRACE));
    }

    @Override
    public Uni<List<LogLine>> logs(String containerName, int tail) {
        return call(HttpMethod.GET, "/containers/" + containerName + "/logs", r -> r
                .addQueryParam("stdout", "true").addQueryParam("stderr", "true").addQueryParam("tail", String.valueOf(tail)))
                .map(response -> {
                    missingIf404(response, containerName);
                    expect(response, 200);
                    Buffer body = response.body();
                    return LogStream.demultiplex(body == null ? new byte[0] : body.getBytes());
                });
    }

    @Override
    public Uni<ContainerStats> stats(String containerName) {
        return call(HttpMethod.GET, "/containers/" + containerName + "/stats", r -> r.addQueryParam("stream", "false"))
                .map(response -> {
                    missingIf404(response, containerName);
                    expect(response, 200);
                    return StatsSample.of(response.bodyAsJsonObject());
                });
    }

    /**
     * Asks the path's stat first (HEAD), so that a file over the cap is refused before a byte of it
     * is read; the tar that follows is bounded again, in case the file grew in between.
     */
    @Override
    public Uni<Optional<byte[]>> readFile(String containerName, String path, int maxBytes) {
        String archive = "/containers/" + containerName + "/archive";
        return call(HttpMethod.HEAD, archive, r -> r.addQueryParam("path", path)).flatMap(head -> {
            if (head.statusCode() == 404) {
                return Uni.createFrom().item(Optional.<byte[]>empty());
            }
            expect(head, 200);
            Archives.checkStat(head.getHeader("X-Docker-Container-Path-Stat"), path, maxBytes);
            return call(HttpMethod.GET, archive, r -> r.addQueryParam("path", path)).map(response -> {
                if (response.statusCode() == 404) {
                    return Optional.<byte[]>empty();
                }
                expect(response, 200);
                Buffer body = response.body();
                if (body == null || body.length() > maxBytes + TAR_OVERHEAD) {
                    throw new UnreadableFileException(path + " grew past " + maxBytes + " bytes while it was read");
                }
                return Optional.of(Archives.singleFile(body.getBytes(), path, maxBytes));
            });
        });
    }

    @Override
    public Uni<Void> writeFile(String containerName, String path, byte[] content) {
        int slash = path.lastIndexOf('/');
        if (slash < 0 || slash == path.length() - 1) {
            return Uni.createFrom().failure(new IllegalArgumentException("not an absolute file path: " + path));
        }
        String directory = slash == 0 ? "/" : path.substring(0, slash);
        Buffer tar = Buffer.buffer(Archives.oneFile(path.substring(slash + 1), content));
        return breaker.get(() -> client.request(HttpMethod.PUT, address.socket(), prefix + "/containers/" + containerName + "/archive")
                        .addQueryParam("path", directory)
                        .putHeader("Content-Type", "application/x-tar")
                        .timeout(timeout.toMillis())
                        .sendBuffer(tar)
                        .ifNoItem().after(timeout).fail()
                        .onFailure().transform(this::unreachable)
                        .invoke(response -> {
                            if (response.statusCode() >= 500) {
                                throw new EngineUnavailableException("The container engine answered " + response.statusCode());
                            }
                        }))
                .onFailure(CircuitBreakerOpenException.class).transform(e -> new EngineUnavailableException(
                        "The container engine at " + address.display() + " failed repeatedly; not asking it for a while"))
                .map(response -> {
                    missingIf404(response, containerName);
                    expect(response, 200);
                    return null;
                });
    }

    private Uni<Void> change(HttpMethod method, String path, String containerName,
            UnaryOperator<HttpRequest<Buffer>> options, Duration deadline) {
        return call(method, path, options, deadline).map(response -> {
            missingIf404(response, containerName);
            if (response.statusCode() != 304) {
                expect(response, 204);
            }
            return null;
        });
    }

    /**
     * One engine request with a deadline. Transport failures, timeouts and 5xx answers count
     * against the breaker and surface as {@link EngineUnavailableException}; so does an open breaker.
     */
    private Uni<HttpResponse<Buffer>> call(HttpMethod method, String path, UnaryOperator<HttpRequest<Buffer>> options) {
        return call(method, path, options, timeout);
    }

    private Uni<HttpResponse<Buffer>> call(HttpMethod method, String path, UnaryOperator<HttpRequest<Buffer>> options,
            Duration deadline) {
        return breaker.get(() -> options.apply(client.request(method, address.socket(), prefix + path)
                        .timeout(deadline.toMillis()))
                .send()
                .ifNoItem().after(deadline).fail()
                .onFailure().transform(e -> {
                    LOG.debugf("Engine %s %s failed: %s", method, path, e.toString());
                    return unreachable(e);
                })
                .invoke(response -> {
                    if (response.statusCode() >= 500) {
                        throw new EngineUnavailableException("The container engine answered " + response.statusCode());
                    }
                }))
                .onFailure(CircuitBreakerOpenException.class).transform(e -> new EngineUnavailableException(
                        "The container engine at " + address.display() + " failed repeatedly; not asking it for a while"));
    }

    private static void missingIf404(HttpResponse<Buffer> response, String containerName) {
        if (response.statusCode() == 404) {
            throw new NoSuchContainerException(containerName);
        }
    }

    private static void expect(HttpResponse<Buffer> response, int status) {
        if (response.statusCode() != status) {
            throw new EngineUnavailableException("The container engine answered " + response.statusCode());
        }
    }

    private static List<AgentContainer> summaries(JsonArray array) {
        List<AgentContainer> containers = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonObject c = array.getJsonObject(i);
            JsonArray names = c.getJsonArray("Names", new JsonArray());
            String name = names.isEmpty() ? c.getString("Id") : names.getString(0);
            containers.add(AgentContainer.fromLabels(c.getString("Id"), name, c.getString("Image"), c.getString("State"),
                    c.getLong("Created"), labels(c.getJsonObject("Labels"))));
        }
        return containers;
    }

    private static AgentContainer inspected(JsonObject c) {
        JsonObject config = c.getJsonObject("Config", new JsonObject());
        JsonObject state = c.getJsonObject("State", new JsonObject());
        return AgentContainer.fromLabels(c.getString("Id"), c.getString("Name", ""), config.getString("Image"),
                state.getString("Status"), null, labels(config.getJsonObject("Labels")));
    }

    private static Map<String, String> labels(JsonObject labels) {
        Map<String, String> map = new LinkedHashMap<>();
        if (labels != null) {
            labels.forEach(e -> map.put(e.getKey(), String.valueOf(e.getValue())));
        }
        return map;
    }
}
