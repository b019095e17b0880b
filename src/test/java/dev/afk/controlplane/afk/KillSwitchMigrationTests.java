package dev.afk.controlplane.afk;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/** The migrations on an empty database give the state of a fresh install. */
class KillSwitchMigrationTests {

    @Test
    void freshInstallStartsEngaged() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            Flyway.configure().dataSource(pg.getPostgresDatabase()).locations("classpath:db/migration").load().migrate();
            try (Connection c = pg.getPostgresDatabase().getConnection();
                    ResultSet rs = c.createStatement().executeQuery("select engaged, changed_by from kill_switch")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBoolean("engaged")).isTrue();
                assertThat(rs.getString("changed_by")).isEqualTo("system");
                assertThat(rs.next()).isFalse();
            }
        }
    }
}
