package dev.afk.controlplane.executor.t3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.afk.controlplane.executor.ExecutorException;
import dev.afk.controlplane.executor.ExecutorException.Reason;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Reads T3's read model. 0.0.29+ has {@code /shell} (all threads, no bodies) and
 * {@code /threads/{id}} (one thread with bodies); from 0.0.32 {@code /snapshot} no longer carries
 * bodies. Older servers only have {@code /snapshot}, and answer unknown routes with the web UI's
 * HTML and 200: the content type, not the status, reveals a missing route.
 */
@ApplicationScoped
class T3Reader {

    private static final Logger LOG = Logger.getLogger(T3Reader.class);

    /** Which read path the connected server has; null until learnt. */
    enum ReadPath { SHELL, SNAPSHOT }

    private final T3Http http;
    private final T3Metrics metrics;
    private final ObjectMapper mapper;
    private final T3Config config;
    private volatile ReadPath learnt;

    T3Reader(T3Http http, T3Metrics metrics, ObjectMapper mapper, T3Config config) {
        this.http = http;
        this.metrics = metrics;
        this.mapper = mapper;
        this.config = config;
    }

    /** The probe saw this version: choose the path from it rather than by trial. */
    void serverVersion(T3Version version) {
        learnt = version.compareTo(T3Version.SHELL_ROUTES) >= 0 ? ReadPath.SHELL : ReadPath.SNAPSHOT;
    }

    /** Forget the path (tests, or a server replaced by another version). */
    void forgetPath() {
        learnt = null;
    }

    ReadPath path() {
        return learnt;
    }

    /**
     * The given threads with their bodies; unknown ones are absent. Each is read by its id (T3
     * answers 404 for an unknown one), never through the list of every thread, which grows with
     * T3's whole history; only a server older than the shell routes has nothing but the snapshot.
     */
    Uni<Map<String, T3ReadModel.Thread>> threads(Collection<String> threadIds) {
        if (threadIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        if (learnt == ReadPath.SNAPSHOT) {
            return snapshot().map(model -> select(model.threads(), threadIds));
        }
        return Multi.createFrom().iterable(List.copyOf(new LinkedHashSet<>(threadIds)))
                .onItem().transformToUni(this::threadBody).merge(Math.max(1, config.readConcurrency()))
                .filter(Optional::isPresent).map(Optional::get)
                .collect().asMap(T3ReadModel.Thread::id, t -> t);
    }

    /** One thread with its bodies. */
    Uni<Optional<T3ReadModel.Thread>> thread(String threadId) {
        if (learnt == ReadPath.SNAPSHOT) {
            return snapshot().map(model -> Optional.ofNullable(model.threads().get(threadId)));
        }
        return threadBody(threadId);
    }

    /** Whether a live (not deleted) project with this id exists. */
    Uni<Boolean> projectExists(String projectId) {
        return listing().map(listing -> {
            T3ReadModel.Project project = listing.model().projects().get(projectId);
            return project != null && project.deletedAt() == null;
        });
    }

    private record Listing(ReadPath path, T3ReadModel model) {}

    /** The shell when the server has it, else the snapshot. */
    private Uni<Listing> listing() {
        if (learnt == ReadPath.SNAPSHOT) {
            return snapshot().map(model -> new Listing(ReadPath.SNAPSHOT, model));
        }
        return metrics.timed("read.shell", get(T3Request.shell()))
                .onItem().transformToUni(response -> {
                    if (routeMissing(response)) {
                        return fallBackToSnapshot().map(model -> new Listing(ReadPath.SNAPSHOT, model));
                    }
                    learnt = ReadPath.SHELL;
                    return Uni.createFrom().item(new Listing(ReadPath.SHELL, T3ReadModel.parse(json(response, "read.shell"))));
                });
    }

    private Uni<Optional<T3ReadModel.Thread>> threadBody(String threadId) {
        return metrics.timed("read.thread", get(T3Request.thread(threadId)))
                .onItem().transformToUni(response -> {
                    if (response.status() == 404 && response.isJson()) {
                        return Uni.createFrom().item(Optional.<T3ReadModel.Thread>empty());
                    }
                    if (routeMissing(response)) {
                        return fallBackToSnapshot().map(model -> Optional.ofNullable(model.threads().get(threadId)));
                    }
                    JsonNode thread = json(response, "read.thread").path("thread");
                    return Uni.createFrom().item(thread.isObject() ? Optional.of(T3ReadModel.thread(thread)) : Optional.empty());
                });
    }

    private Uni<T3ReadModel> fallBackToSnapshot() {
        if (learnt != ReadPath.SNAPSHOT) {
            LOG.info("T3 has no /api/orchestration/shell (older than 0.0.29): reading /api/orchestration/snapshot");
        }
        learnt = ReadPath.SNAPSHOT;
        return snapshot();
    }

    private Uni<T3ReadModel> snapshot() {
        return metrics.timed("read.snapshot", get(T3Request.snapshot()))
                .map(response -> T3ReadModel.parse(json(response, "read.snapshot")));
    }

    private Uni<T3Response> get(T3Request request) {
        return http.exchange(request).onFailure().transform(T3Http::unavailableWhenOpen);
    }

    private static boolean routeMissing(T3Response response) {
        return (response.status() == 200 || response.status() == 404) && !response.isJson();
    }

    private JsonNode json(T3Response response, String operation) {
        JsonNode json = response.json(mapper);
        if (response.status() != 200 || !json.isObject()) {
            throw new ExecutorException(Reason.CONTRACT_DRIFT,
                    operation + ": T3 answered " + response.status() + " " + response.contentType() + " where JSON was expected");
        }
        return json;
    }

    private static Map<String, T3ReadModel.Thread> select(Map<String, T3ReadModel.Thread> all, Collection<String> ids) {
        Map<String, T3ReadModel.Thread> selected = new LinkedHashMap<>();
        ids.forEach(id -> Optional.ofNullable(all.get(id)).ifPresent(t -> selected.put(id, t)));
        return selected;
    }
}
