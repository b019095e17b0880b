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

    /**
     * What the probe found: the version T3 reports (null when unreachable or unreadable), whether
     * it lies in the verified range, and what makes T3 unusable (null when usable).
     */
    record Probe(String version, boolean verified, String problem) {
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
    private final boolean allowUnverified;

    T3Environment(T3Http http, T3Reader reader, T3Metrics metrics, ObjectMapper mapper, T3Config config) {
        this.http = http;
        this.reader = reader;
        this.metrics = metrics;
        this.mapper = mapper;
        this.min = T3Version.parse(config.minVersion());
        this.max = T3Version.parse(config.maxVersion());
        this.allowUnverified = config.allowUnverifiedVersion();
    }

    Uni<Probe> probe() {
        return metrics.timed("probe.environment",
                        http.once(T3Request.anonymousGet("/.well-known/t3/environment", "probe.environment")))
                .onItem().transformToUni(response -> {
                    String version = response.json(mapper).path("serverVersion").asText(null);
                    metrics.connectedVersion(version);
                    if (response.status() != 200 || version == null) {
                        return unusable(null, "T3 environment descriptor missing (status " + response.status() + ")");
                    }
                    T3Version found;
                    try {
                        found = T3Version.parse(version);
                    } catch (IllegalArgumentException e) {
                        return unusable(null, "T3 reports an unreadable version " + version);
                    }
                    boolean verified = found.within(min, max);
                    if (!verified && !allowUnverified) {
                        return unusable(version, "T3 " + version + " speaks a protocol not verified here (verified: "
                                + min + "–" + max + "); dispatch is paused until T3 runs a verified version or "
                                + "afk.executor.t3.allow-unverified-version is true");
                    }
                    reader.serverVersion(found);
                    return session().map(scopeProblem -> new Probe(version, verified, scopeProblem));
                })
                .onFailure().recoverWithItem(e -> {
                    metrics.connectedVersion(null);
                    return new Probe(null, false, e instanceof ExecutorException ? e.getMessage() : "T3 unreachable");
                });
    }

    private static Uni<Probe> unusable(String version, String problem) {
        return Uni.createFrom().item(new Probe(version, false, problem));
    }

    /** {@code /api/auth/session} never answers 401: an unusable token shows as {@code authenticated:false}. */
    private Uni<String> session() {
        return metrics.timed("probe.session", http.once(T3Request.get("/api/auth/session", "probe.session")))
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
