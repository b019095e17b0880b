package dev.afk.controlplane.afk.stored;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * Rows written before V14 hold their JSON documents as jsonb strings (a Java string bound to a
 * jsonb parameter); V14 turns each into the document it encodes, and leaves documents alone.
 */
class JsonDocumentsMigrationTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String golden(String file) throws Exception {
        return Files.readString(StoredJsonTests.golden(StoredJsonTests.current(), file));
    }

    @Test
    void jsonStringsBecomeTheDocumentsTheyEncode() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            DataSource db = pg.getPostgresDatabase();
            Flyway.configure().dataSource(db).locations("classpath:db/migration").target("9").load().migrate();
            UUID legacyRun = UUID.randomUUID();
            UUID currentRun = UUID.randomUUID();
            try (Connection c = db.getConnection()) {
                // As the release before wrote them: the encoded text as a JSON string.
                insertRepo(c, "acme/legacy", "to_jsonb(?::text)", "to_jsonb(?::text)");
                insertRun(c, legacyRun, "acme/legacy", "to_jsonb(?::text)", "to_jsonb(?::text)");
                insertEffect(c, legacyRun, "to_jsonb(?::text)");
                // Already documents: left as they are.
                insertRepo(c, "acme/current", "?::jsonb", "?::jsonb");
                insertRun(c, currentRun, "acme/current", "?::jsonb", "?::jsonb");
                insertEffect(c, currentRun, "?::jsonb");
                assertThat(typeOf(c, "select jsonb_typeof(caps) from afk_repo where repo = 'acme/legacy'")).isEqualTo("string");
            }

            Flyway.configure().dataSource(db).locations("classpath:db/migration").load().migrate();

            try (Connection c = db.getConnection()) {
                for (String repo : new String[] {"acme/legacy", "acme/current"}) {
                    assertDocument(c, "select deployments from afk_repo where repo = '" + repo + "'", "afk_repo.deployments.json");
                    assertDocument(c, "select caps from afk_repo where repo = '" + repo + "'", "afk_repo.caps.json");
                }
                for (UUID run : new UUID[] {legacyRun, currentRun}) {
                    assertDocument(c, "select settings from afk_run where id = '" + run + "'", "afk_run.settings.json");
                    assertDocument(c, "select pending_request from afk_run where id = '" + run + "'", "afk_run.pending_request.json");
                    assertDocument(c, "select payload from afk_run_effect where run_id = '" + run + "'",
                            StoredJsonTests.EFFECTS + "send-fix-forward.json");
                }
            }
        }
    }

    private static void assertDocument(Connection c, String select, String goldenFile) throws Exception {
        String column = select.substring("select ".length(), select.indexOf(" from"));
        try (ResultSet rs = c.createStatement().executeQuery(
                select.replace("select " + column, "select jsonb_typeof(" + column + ") as t, " + column + "::text as v"))) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("t")).as(select).isIn("object", "array");
            assertThat(JSON.readTree(rs.getString("v"))).as(select).isEqualTo(JSON.readTree(golden(goldenFile)));
        }
    }

    private static String typeOf(Connection c, String select) throws Exception {
        try (ResultSet rs = c.createStatement().executeQuery(select)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void insertRepo(Connection c, String repo, String deployments, String caps) throws Exception {
        try (PreparedStatement s = c.prepareStatement("""
                insert into afk_repo (repo, default_branch, clone_url, ready_label, in_progress_label, human_label,
                    ci_stages, required_checks, deployments, image_template, executor_model, caps, enrolled_by,
                    enrolled_at, updated_at)
                values (?, 'main', 'https://example.org/x.git', 'ready-for-agent', 'afk-in-progress', 'needs-human',
                    '{GITHUB_ACTIONS}', '{}', %s, null, 'claude-sonnet-4-6', %s, 'admin', now(), now())"""
                .formatted(deployments, caps))) {
            s.setString(1, repo);
            s.setString(2, JSON.readTree(golden("afk_repo.deployments.json")).toString());
            s.setString(3, JSON.readTree(golden("afk_repo.caps.json")).toString());
            s.executeUpdate();
        }
    }

    private static void insertRun(Connection c, UUID id, String repo, String settings, String pending) throws Exception {
        try (PreparedStatement s = c.prepareStatement("""
                insert into afk_run (id, repo, issue, title, prompt, settings, created_at, state, pending_request,
                    next_reconcile_at)
                values (?, ?, 1, 't', 'p', %s, now(), 'NEEDS_INPUT', %s, now())""".formatted(settings, pending))) {
            s.setObject(1, id);
            s.setString(2, repo);
            s.setString(3, JSON.readTree(golden("afk_run.settings.json")).toString());
            s.setString(4, JSON.readTree(golden("afk_run.pending_request.json")).toString());
            s.executeUpdate();
        }
    }

    private static void insertEffect(Connection c, UUID run, String payload) throws Exception {
        try (PreparedStatement s = c.prepareStatement("""
                insert into afk_run_effect (run_id, seq, kind, payload, created_at)
                values (?, 1, 'send-fix-forward', %s, now())""".formatted(payload))) {
            s.setObject(1, run);
            s.setString(2, JSON.readTree(golden(StoredJsonTests.EFFECTS + "send-fix-forward.json")).toString());
            s.executeUpdate();
        }
    }
}
