package dev.afk.controlplane.afk.stored;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.afk.controlplane.afk.repos.Caps;
import dev.afk.controlplane.afk.repos.Landing;
import dev.afk.controlplane.afk.repos.Repo;
import dev.afk.controlplane.afk.repos.RepoLabels;
import dev.afk.controlplane.afk.repos.RepoStore;
import dev.afk.controlplane.afk.runs.Budgets;
import dev.afk.controlplane.afk.runs.Effect;
import dev.afk.controlplane.afk.runs.RunSettings;
import dev.afk.controlplane.ci.CiVerdicts.Check;
import dev.afk.controlplane.ci.CiVerdicts.Deployment;
import dev.afk.controlplane.ci.CiVerdicts.Outcome;
import dev.afk.controlplane.ci.CiVerdicts.Stage;
import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.executor.Executor.PendingRequest;
import dev.afk.controlplane.notify.Doorbell;
import dev.afk.controlplane.tracker.PullRequest.MergeMethod;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every JSON document this release stores, as golden files under {@code stored-json/<release>/}:
 * a newer release must still decode every file of every release, or a deploy in the middle of a
 * run strands it. The files of the current release also pin what it writes. To add a shape, add
 * its value to {@link #CURRENT} and run once with {@code -Dstored-json.record=true}, which writes
 * only files that do not exist yet.
 */
@QuarkusTest
class StoredJsonTests {

    /** Releases whose stored documents must stay readable, oldest first; the last is this one. */
    static final List<String> RELEASES = List.of("0.1");

    static final String EFFECTS = "afk_run_effect.payload/";

    /** Golden file name → the value this release stores there. */
    static final Map<String, Object> CURRENT = new LinkedHashMap<>();

    static {
        CURRENT.put("afk_repo.deployments.json", List.of(new Deployment("web", "frontend"), new Deployment("web", "api")));
        CURRENT.put("afk_repo.caps.json", new Caps(3, 120, 480, 120, 20, 150, 12.5, 45));
        CURRENT.put("afk_repo.caps-none.json", Caps.NONE);
        CURRENT.put("afk_run.settings.json", new RunSettings(new Budgets(5, Duration.ofHours(2), Duration.ofHours(8),
                Duration.ofHours(2), Duration.ofMinutes(20), 200, 25.0, Duration.ofMinutes(45), Duration.ofMinutes(2)),
                List.of(Stage.GITHUB_ACTIONS, Stage.WOODPECKER, Stage.ROLLOUT), List.of("build", "test"), null));
        CURRENT.put("afk_run.settings-pull-request.json", new RunSettings(new Budgets(5, Duration.ofHours(2), Duration.ofHours(8),
                Duration.ofHours(2), Duration.ofMinutes(20), 200, 25.0, Duration.ofMinutes(45), Duration.ofMinutes(2)),
                List.of(Stage.GITHUB_ACTIONS, Stage.ROLLOUT), List.of("build"),
                new Landing(Landing.Mode.PULL_REQUEST, MergeMethod.SQUASH)));
        CURRENT.put("afk_run.pending_request.json",
                new PendingRequest("req-1", PendingRequest.Kind.QUESTION, "Which database?", List.of("q-1", "q-2")));
        CURRENT.put("afk_run.pending_request-approval.json",
                new PendingRequest("req-2", PendingRequest.Kind.APPROVAL, "Run `rm -rf build`?", List.of()));
        CURRENT.put(EFFECTS + "prepare-worktree.json", new Effect.PrepareWorktree());
        CURRENT.put(EFFECTS + "start-work.json", new Effect.StartWork());
        CURRENT.put(EFFECTS + "send-fix-forward.json", new Effect.SendFixForward(2, "0123456789abcdef0123456789abcdef01234567",
                List.of(new Check(Stage.GITHUB_ACTIONS, "test", Outcome.RED,
                        URI.create("https://github.com/acme/web/actions/runs/1"), "2 tests failed"))));
        CURRENT.put(EFFECTS + "relay-answer.json", new Effect.RelayAnswer(
                new PendingRequest("req-1", PendingRequest.Kind.QUESTION, "Which database?", List.of("q-1")), "PostgreSQL"));
        CURRENT.put(EFFECTS + "ask-operator.json", new Effect.AskOperator(
                new PendingRequest("req-2", PendingRequest.Kind.APPROVAL, "Run `rm -rf build`?", List.of())));
        CURRENT.put(EFFECTS + "interrupt.json", new Effect.Interrupt("cancel"));
        CURRENT.put(EFFECTS + "add-labels.json", new Effect.AddLabels(Set.of("afk-in-progress")));
        CURRENT.put(EFFECTS + "remove-label.json", new Effect.RemoveLabel("ready-for-agent"));
        CURRENT.put(EFFECTS + "close-issue.json", new Effect.CloseIssue());
        CURRENT.put(EFFECTS + "update-checklist.json", new Effect.UpdateChecklist());
        CURRENT.put(EFFECTS + "ring.json", new Effect.Ring(Doorbell.Kind.FROZEN, "run-1:frozen", "Frozen", "CI stayed red"));
        CURRENT.put(EFFECTS + "release-worktree.json", new Effect.ReleaseWorktree(true));
        CURRENT.put(EFFECTS + "freeze-repo.json", new Effect.FreezeRepo());
        CURRENT.put(EFFECTS + "open-pull-request.json", new Effect.OpenPullRequest());
        CURRENT.put(EFFECTS + "merge-pull-request.json",
                new Effect.MergePullRequest(12, "0123456789abcdef0123456789abcdef01234567", MergeMethod.SQUASH));
        CURRENT.put(EFFECTS + "resolve-merge-refusal.json", new Effect.ResolveMergeRefusal(2, 12));
    }

    @Inject
    ObjectMapper json;

    @Inject
    Pool pool;

    @Inject
    RepoStore repos;

    private JavaType type(String file) {
        if (file.startsWith(EFFECTS)) {
            return json.constructType(Effect.class);
        }
        if (file.startsWith("afk_repo.deployments")) {
            return json.getTypeFactory().constructCollectionType(List.class, Deployment.class);
        }
        if (file.startsWith("afk_repo.caps")) {
            return json.constructType(Caps.class);
        }
        if (file.startsWith("afk_run.settings")) {
            return json.constructType(RunSettings.class);
        }
        if (file.startsWith("afk_run.pending_request")) {
            return json.constructType(PendingRequest.class);
        }
        throw new AssertionError("no stored type for " + file);
    }

    /** Read from the source tree (tests run in the project directory), where recording writes them. */
    static Path golden(String release, String file) {
        return Path.of("src/test/resources/stored-json", release, file);
    }

    private static String read(Path file) throws IOException {
        assertThat(file).as(file + " is missing").exists();
        return Files.readString(file);
    }

    @Test
    void everyReleasesStoredDocumentsDecode() throws IOException {
        recordMissing();
        for (String release : RELEASES) {
            for (String file : CURRENT.keySet()) {
                Path resource = golden(release, file);
                if (Files.notExists(resource) && !release.equals(current())) {
                    continue; // a shape that release did not have
                }
                Object decoded = json.readValue(read(resource), type(file));
                assertThat(decoded).as(resource.toString()).isNotNull();
                if (release.equals(current())) {
                    assertThat(decoded).as(resource.toString()).isEqualTo(CURRENT.get(file));
                }
            }
        }
    }

    @Test
    void thisReleaseWritesExactlyItsGoldenShapes() throws IOException {
        for (Map.Entry<String, Object> shape : CURRENT.entrySet()) {
            // Through text, as the database receives it (Durations are written as decimal seconds).
            JsonNode written = json.readTree(json.writeValueAsString(shape.getValue()));
            assertThat(written).as(shape.getKey()).isEqualTo(json.readTree(read(golden(current(), shape.getKey()))));
        }
    }

    @Test
    void everyEffectHasAGoldenFile() {
        List<String> names = Arrays.stream(Effect.class.getAnnotation(JsonSubTypes.class).value())
                .map(t -> EFFECTS + t.name() + ".json").toList();
        assertThat(CURRENT.keySet().stream().filter(f -> f.startsWith(EFFECTS))).containsExactlyInAnyOrderElementsOf(names);
    }

    @Test
    void repositorySettingsAreStoredAsDocumentsNotStrings() {
        RepoSlug slug = RepoSlug.parse("stored/json-" + UUID.randomUUID().toString().substring(0, 8));
        Instant now = Instant.parse("2026-12-04T12:00:00Z");
        @SuppressWarnings("unchecked")
        Repo repo = new Repo(slug, "main", "https://github.com/" + slug + ".git", new RepoLabels("ready-for-agent",
                "afk-in-progress", "needs-human"), List.of(Stage.GITHUB_ACTIONS), List.of(),
                (List<Deployment>) CURRENT.get("afk_repo.deployments.json"), null, "claude-sonnet-4-6",
                (Caps) CURRENT.get("afk_repo.caps.json"), Landing.PUSH, false, null, null, null, "admin", now, now);
        repos.insert(pool, repo).await().atMost(Duration.ofSeconds(30));

        var row = pool.preparedQuery("select jsonb_typeof(deployments) as d, jsonb_typeof(caps) as c from afk_repo where repo = $1")
                .execute(Tuple.of(slug.toString())).await().atMost(Duration.ofSeconds(30)).iterator().next();
        assertThat(row.getString("d")).isEqualTo("array");
        assertThat(row.getString("c")).isEqualTo("object");
        Repo back = repos.find(pool, slug).await().atMost(Duration.ofSeconds(30)).orElseThrow();
        assertThat(back.deployments()).isEqualTo(repo.deployments());
        assertThat(back.caps()).isEqualTo(repo.caps());
    }

    static String current() {
        return RELEASES.get(RELEASES.size() - 1);
    }

    /** Writes the current release's files that do not exist yet, when asked to. */
    private void recordMissing() throws IOException {
        if (!Boolean.getBoolean("stored-json.record")) {
            return;
        }
        for (Map.Entry<String, Object> shape : CURRENT.entrySet()) {
            Path file = golden(current(), shape.getKey());
            if (Files.notExists(file)) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, json.writerWithDefaultPrettyPrinter().writeValueAsString(shape.getValue()) + "\n");
            }
        }
    }
}
