package dev.afk.controlplane.executor.t3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.afk.controlplane.executor.ExecutorException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Is T3 there, of a version we speak, and does our token carry the scopes we need? Probed by the
 * readiness check; the version it finds also chooses the read path.
 */
@ApplicationScoped
class T3Environment {

    static final List<String> REQUIRED_SCOPES = List.of("orchestration:read", "orchestration:operate");

    /** What the probe found; {@code problem} is null when T3 is usable. */
    record Probe(String version, String problem) {
        boolean usable() {
            return problem == null;
        }
    }

    private final T3Http http;
    private final T3Reader reader;
    private final T3Metrics metrics;
    private final ObjectMapper mapper;
    private final T3Version min;
    private final T3Version max;

    T3Environment(T3Http http, T3Reader reader, T3Metrics metrics, ObjectMapper mapper, T3Config config) {
        this.http = http;
        this.reader = reader;
        this.metrics = metrics;
        this.mapper = mapper;
        this.min = T3Version.parse(config.minVersion());
        this.max = T3Version.parse(config.maxVersion());
    }

    Uni<Probe> probe() {
        return metrics.timed("probe.environment",
                        http.once(T3Request.environment()))
                .onItem().transformToUni(response -> {
                    String version = response.json(mapper).path("serverVersion").asText(null);
                    metrics.connectedVersion(version);
                    String problem = versionProblem(response, version);
                    if (problem != null) {
                        return Uni.createFrom().item(new Probe(version, problem));
                    }
                    reader.serverVersion(T3Version.parse(version));
                    return session().map(scopeProblem -> new Probe(version, scopeProblem));
                })
                .onFailure().recoverWithItem(e -> {
                    metrics.connectedVersion(null);
                    return new Probe(null, e instanceof ExecutorException ? e.getMessage() : "T3 unreachable");
                });
    }

    private String versionProblem(T3Response response, String version) {
        if (response.status() != 200 || version == null) {
            return "T3 environment descriptor missing (status " + response.status() + ")";
        }
        try {
            T3Version found = T3Version.parse(version);
            return found.within(min, max) ? null
                    : "T3 " + version + " is outside the supported range " + min + "–" + max;
        } catch (IllegalArgumentException e) {
            return "T3 reports an unreadable version " + version;
        }
    }

    /** {@code /api/auth/session} never answers 401: an unusable token shows as {@code authenticated:false}. */
    private Uni<String> session() {
        return metrics.timed("probe.session", http.once(T3Request.session()))
                .map(response -> {
                    JsonNode json = response.json(mapper);
                    if (!json.path("authenticated").asBoolean(false)) {
                        return "T3 does not accept the token (unauthorised)";
                    }
                    Set<String> scopes = new HashSet<>();
                    json.path("scopes").forEach(s -> scopes.add(s.asText()));
                    List<String> missing = REQUIRED_SCOPES.stream().filter(s -> !scopes.contains(s)).toList();
                    return missing.isEmpty() ? null : "the T3 token lacks the scopes " + String.join(", ", missing);
                });
    }
}
