package dev.afk.controlplane.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.afk.controlplane.common.SchemaCheck.Version;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponse.Status;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The readiness check against a real PostgreSQL: DOWN with a reason (logged once) while the
 * schema is missing or older than the newest bundled migration, UP once the migrations ran.
 */
class SchemaCheckTests {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static EmbeddedPostgres postgres;
    private static Vertx vertx;

    private final List<LogRecord> errors = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                errors.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        vertx.closeAndAwait();
        postgres.close();
    }

    @Test
    void theNewestBundledMigrationIsTheNewestFileInDbMigration() throws Exception {
        int newest;
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            newest = files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V[0-9]+__.*\\.sql"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElseThrow();
        }
        assertThat(SchemaCheck.newestBundled()).isEqualTo(Version.parse(Integer.toString(newest)));
    }

    @Test
    void versionsCompareAsFlywayOrdersThem() {
        assertThat(Version.parse("10")).isGreaterThan(Version.parse("9"));
        assertThat(Version.parse("1.10")).isGreaterThan(Version.parse("1.9"));
        assertThat(Version.parse("2_1")).isEqualByComparingTo(Version.parse("2.1.0"));
        assertThat(Version.parse("15").toString()).isEqualTo("15");
    }

    @Test
    void anEmptyDatabaseIsNotReadyAndSaysWhyOnce() throws Exception {
        String database = database("empty");
        Pool pool = pool(database);
        SchemaCheck check = new SchemaCheck(pool, SchemaCheck.newestBundled());
        listen();
        try {
            HealthCheckResponse first = check.call().await().atMost(WAIT);
            HealthCheckResponse second = check.call().await().atMost(WAIT);

            assertThat(first.getStatus()).isEqualTo(Status.DOWN);
            assertThat(first.getData().orElseThrow()).containsEntry("applied", "none")
                    .hasEntrySatisfying("reason", r -> assertThat((String) r).contains("flyway_schema_history", "migrate step"));
            assertThat(second.getStatus()).isEqualTo(Status.DOWN);
            assertThat(errors).singleElement().satisfies(e -> assertThat(e.getMessage()).contains("Not ready"));
        } finally {
            stopListening();
            pool.closeAndAwait();
        }
    }

    @Test
    void aSchemaOneMigrationBehindIsNotReadyUntilMigrated() throws Exception {
        String database = database("behind");
        Version expected = SchemaCheck.newestBundled();
        List<Integer> versions = bundledVersions();
        String previous = Integer.toString(versions.get(versions.size() - 2));
        flyway(database).target(previous).load().migrate();
        Pool pool = pool(database);
        SchemaCheck check = new SchemaCheck(pool, expected);
        listen();
        try {
            HealthCheckResponse behind = check.call().await().atMost(WAIT);
            assertThat(behind.getStatus()).isEqualTo(Status.DOWN);
            assertThat(behind.getData().orElseThrow()).containsEntry("applied", previous)
                    .containsEntry("expected", expected.toString())
                    .hasEntrySatisfying("reason", r -> assertThat((String) r)
                            .contains("schema at version " + previous + ", this release needs " + expected));
            check.call().await().atMost(WAIT);
            assertThat(errors).hasSize(1);

            flyway(database).load().migrate();
            HealthCheckResponse migrated = check.call().await().atMost(WAIT);
            assertThat(migrated.getStatus()).isEqualTo(Status.UP);
            assertThat(migrated.getData().orElseThrow()).containsEntry("expected", expected.toString());
        } finally {
            stopListening();
            pool.closeAndAwait();
        }
    }

    @Test
    void aNewerSchemaIsReadySoThatAnOlderReleaseCanRollBack() throws Exception {
        String database = database("newer");
        flyway(database).load().migrate();
        Pool pool = pool(database);
        try {
            Version older = Version.parse(Integer.toString(bundledVersions().getFirst()));
            assertThat(new SchemaCheck(pool, older).call().await().atMost(WAIT).getStatus()).isEqualTo(Status.UP);
            assertThat(new SchemaCheck(pool, Version.parse("9999")).call().await().atMost(WAIT).getStatus())
                    .isEqualTo(Status.DOWN);
        } finally {
            pool.closeAndAwait();
        }
    }

    private static List<Integer> bundledVersions() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V[0-9]+__.*\\.sql"))
                    .map(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).sorted().toList();
        }
    }

    private static String database(String name) throws Exception {
        try (var connection = postgres.getPostgresDatabase().getConnection()) {
            connection.createStatement().execute("create database " + name);
        }
        return name;
    }

    private static org.flywaydb.core.api.configuration.FluentConfiguration flyway(String database) {
        return Flyway.configure().dataSource(postgres.getDatabase("postgres", database))
                .locations("classpath:" + SchemaCheck.MIGRATIONS);
    }

    private static Pool pool(String database) {
        return PgBuilder.pool().with(new PoolOptions().setMaxSize(1))
                .connectingTo(new PgConnectOptions().setHost("localhost").setPort(postgres.getPort())
                        .setDatabase(database).setUser("postgres").setPassword("postgres"))
                .using(vertx).build();
    }

    private void listen() {
        Logger.getLogger(SchemaCheck.class.getName()).addHandler(capture);
    }

    private void stopListening() {
        Logger.getLogger(SchemaCheck.class.getName()).removeHandler(capture);
    }
}
