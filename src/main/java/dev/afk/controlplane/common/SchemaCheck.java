package dev.afk.controlplane.common;

import io.quarkus.runtime.Startup;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * Readiness: the database's schema is at least as new as the newest migration this release
 * bundles. In production the migrations run before the service starts (the migrate step, see
 * docs/operations.md), so a replica started against an older schema stays out of the Service with
 * the reason on {@code /q/health/ready}, logged once, instead of failing on its first query.
 * One small read of Flyway's history table through the reactive pool; once the schema is seen
 * current it is not read again (a schema does not move backwards). Created at start (on the main
 * thread, not an event loop) because it lists the bundled migrations from the jar.
 */
@Readiness
@Startup
@ApplicationScoped
public class SchemaCheck implements AsyncHealthCheck {

    static final String NAME = "Database schema";
    static final String MIGRATIONS = "db/migration";
    private static final Logger LOG = Logger.getLogger(SchemaCheck.class);
    private static final Pattern VERSIONED = Pattern.compile("V([0-9]+(?:[._][0-9]+)*)__.+\\.sql");
    private static final String UNDEFINED_TABLE = "42P01";

    private final Pool pool;
    private final Version expected;
    private volatile boolean current;
    private final AtomicReference<String> logged = new AtomicReference<>();

    @Inject
    SchemaCheck(Pool pool) {
        this(pool, newestBundled());
    }

    SchemaCheck(Pool pool, Version expected) {
        this.pool = pool;
        this.expected = expected;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        if (current) {
            return Uni.createFrom().item(up());
        }
        return pool.query("select version from flyway_schema_history where success and version is not null").execute()
                .map(rows -> {
                    Optional<Version> applied = Optional.empty();
                    for (Row row : rows) {
                        Version version = Version.parse(row.getString("version"));
                        applied = applied.filter(a -> a.compareTo(version) >= 0).or(() -> Optional.of(version));
                    }
                    if (applied.isPresent() && applied.get().compareTo(expected) >= 0) {
                        current = true;
                        logged.set(null);
                        return up();
                    }
                    return down(applied.map(v -> "schema at version " + v + ", this release needs " + expected
                                    + ": run the migrate step first (docs/operations.md)")
                            .orElse("no migration has been applied: run the migrate step first (docs/operations.md)"),
                            applied.map(Version::toString).orElse("none"));
                })
                .onFailure(PgException.class).recoverWithItem(failure ->
                        UNDEFINED_TABLE.equals(((PgException) failure).getSqlState())
                                ? down("the database has no flyway_schema_history table: run the migrate step first"
                                        + " (docs/operations.md)", "none")
                                : down("cannot read the schema version: " + failure.getMessage(), "unknown"))
                .onFailure().recoverWithItem(failure -> down("cannot read the schema version: " + failure.getMessage(), "unknown"));
    }

    private HealthCheckResponse up() {
        return HealthCheckResponse.named(NAME).up().withData("expected", expected.toString()).build();
    }

    private HealthCheckResponse down(String reason, String applied) {
        if (!reason.equals(logged.getAndSet(reason))) {
            LOG.errorf("Not ready: %s", reason);
        }
        return HealthCheckResponse.named(NAME).down().withData("reason", reason)
                .withData("applied", applied).withData("expected", expected.toString()).build();
    }

    /** The newest versioned migration in {@value #MIGRATIONS}, from the application's own jar or classes folder. */
    static Version newestBundled() {
        URL location = SchemaCheck.class.getClassLoader().getResource(MIGRATIONS + "/");
        if (location == null) {
            location = SchemaCheck.class.getClassLoader().getResource(MIGRATIONS);
        }
        if (location == null) {
            throw new IllegalStateException("no " + MIGRATIONS + " on the class path");
        }
        try {
            URI uri = location.toURI();
            if ("jar".equals(uri.getScheme())) {
                try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                    return newestIn(jar.getPath(MIGRATIONS));
                } catch (FileSystemAlreadyExistsException opened) {
                    return newestIn(FileSystems.getFileSystem(uri).getPath(MIGRATIONS));
                }
            }
            return newestIn(Path.of(uri));
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot list " + location, e);
        }
    }

    static Version newestIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> VERSIONED.matcher(f.getFileName().toString()))
                    .filter(Matcher::matches).map(m -> Version.parse(m.group(1)))
                    .max(Comparator.naturalOrder())
                    .orElseThrow(() -> new IllegalStateException("no versioned migration in " + folder));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** A Flyway version: numbers separated by dots (or underscores in file names), compared part by part. */
    record Version(List<BigInteger> parts) implements Comparable<Version> {

        static Version parse(String text) {
            List<BigInteger> parts = new ArrayList<>();
            Arrays.stream(text.split("[._]")).map(BigInteger::new).forEach(parts::add);
            while (parts.size() > 1 && parts.getLast().signum() == 0) {
                parts.removeLast();
            }
            return new Version(List.copyOf(parts));
        }

        @Override
        public int compareTo(Version other) {
            for (int i = 0; i < Math.max(parts.size(), other.parts.size()); i++) {
                BigInteger mine = i < parts.size() ? parts.get(i) : BigInteger.ZERO;
                BigInteger theirs = i < other.parts.size() ? other.parts.get(i) : BigInteger.ZERO;
                int order = mine.compareTo(theirs);
                if (order != 0) {
                    return order;
                }
            }
            return 0;
        }

        @Override
        public String toString() {
            return String.join(".", parts.stream().map(BigInteger::toString).toList());
        }
    }
}
