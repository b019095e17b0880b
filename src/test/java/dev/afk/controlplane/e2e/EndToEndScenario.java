package dev.afk.controlplane.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.afk.controlplane.afk.dispatch.Poller;
import dev.afk.controlplane.afk.runs.Reconciler;
import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.fakes.CiDoorbellFakes;
import dev.afk.controlplane.fakes.github.FakeGitHubResource;
import dev.afk.controlplane.fakes.github.FakeRepo;
import dev.afk.controlplane.fakes.t3.AgentScript;
import dev.afk.controlplane.fakes.t3.FakeT3Resource;
import dev.afk.controlplane.support.Tokens;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Drives whole issues through the real adapters: the REST API for what operators do, FakeGitHub for
 * people labelling issues, FakeT3Server for the agent, FakeWoodpecker for CI, a local bare git
 * repository as the canonical remote, and ticks by hand.
 */
abstract class EndToEndScenario {

    private static final AtomicInteger REPOS = new AtomicInteger();
    private static final Pattern RUN_TRAILER = Pattern.compile("AFK-Run: (\\S+)");
    /** What the agent does when a turn completes, by the checkout name in its worktree path. */
    private static final Map<String, Consumer<AgentScript.TurnContext>> AGENTS = new ConcurrentHashMap<>();

    @Inject
    Poller poller;
    @Inject
    Reconciler reconciler;
    @Inject
    Pool sql;

    @BeforeEach
    void armAndScriptTheAgent() {
        given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"engaged\": false, \"reason\": \"e2e\"}").put("/api/afk/kill-switch").then().statusCode(200);
        FakeT3Resource.server().defaultScript(AgentScript.complete().doing(turn -> AGENTS.entrySet().stream()
                .filter(agent -> turn.worktreePath() != null && turn.worktreePath().contains("/" + agent.getKey() + "/"))
                .forEach(agent -> agent.getValue().accept(turn))));
    }

    @AfterEach
    void everyGitHubAnswerFollowedTheContract() {
        assertThat(FakeGitHubResource.fake().contractViolations()).isEmpty();
    }

    /** A repository with a writer "alice" and a triager "trudy", enrolled with Woodpecker as its CI. */
    record Fixture(RepoSlug slug, FakeRepo github, long woodpeckerId, Path origin) {}

    Fixture enroll(String name) {
        return enroll(name, "WOODPECKER");
    }

    /** Enrolled with this one CI stage ({@code WOODPECKER}, {@code GITHUB_ACTIONS}). */
    Fixture enroll(String name, String ciStage) {
        RepoSlug slug = RepoSlug.parse("e2e/" + name + "-" + REPOS.incrementAndGet() + "-" + System.nanoTime() % 100000);
        FakeRepo github = FakeGitHubResource.fake().repo(slug.toString())
                .collaborator("alice", "write").collaborator("trudy", "triage");
        long woodpeckerId = CiDoorbellFakes.woodpecker().addRepo(slug.toString(), "main");
        Path origin = bareRepository();
        given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON)
                .body("""
                        {"repo": "%s", "defaultBranch": "main", "cloneUrl": "https://git.example/%s.git",
                         "ciStages": ["%s"]}""".formatted(slug, slug, ciStage))
                .post("/api/afk/repos").then().statusCode(201);
        // Enrollment takes only https and ssh remotes; the workspaces also clone file:// ones.
        join(() -> sql.preparedQuery("update afk_repo set clone_url = $1 where repo = $2")
                .execute(Tuple.of(origin.toUri().toString(), slug.toString())).replaceWithVoid());
        return new Fixture(slug, github, woodpeckerId, origin);
    }

    /** The agent of this repository's threads: {@code work} runs when each of its turns completes. */
    void agent(Fixture repo, Consumer<AgentScript.TurnContext> work) {
        AGENTS.put(repo.slug().owner() + "__" + repo.slug().name(), work);
    }

    /** What an agent's push looks like from GitHub: a commit on main with the run's trailers. */
    static String push(Fixture repo, AgentScript.TurnContext turn, int issue, String subject) {
        Matcher run = RUN_TRAILER.matcher(turn.prompt());
        assertThat(run.find()).as("the prompt names the run").isTrue();
        return repo.github().commit("main", subject + "\n\nRefs #" + issue + "\nAFK-Run: " + run.group(1));
    }

    int readyIssue(Fixture repo, String labeller) {
        int number = repo.github().createIssue("Add a greeting", "Print hello on start.");
        repo.github().label(number, "ready-for-agent", labeller);
        return number;
    }

    void tick() {
        join(() -> poller.tick());
        join(() -> reconciler.tick("e2e"));
    }

    /** Ticks until the repository's newest run is in {@code state}, at most {@code max} times. */
    JsonPath tickUntil(Fixture repo, String state, int max) {
        for (int i = 0; i < max; i++) {
            tick();
            List<Map<String, Object>> all = runs(repo);
            if (!all.isEmpty() && state.equals(all.getFirst().get("state"))) {
                return run(repo);
            }
        }
        throw new AssertionError("no run of " + repo.slug() + " reached " + state + " in " + max + " ticks: " + runs(repo));
    }

    /** Executor commands that concern the repository's checkout (a thread is created in a worktree of it). */
    static List<JsonNode> commandsFor(Fixture repo) {
        String checkout = repo.slug().owner() + "__" + repo.slug().name();
        return FakeT3Resource.server().dispatched().stream().filter(c -> c.toString().contains(checkout)).toList();
    }

    /** The turns started on a thread, in order: the first is the task, the others corrective turns. */
    static List<JsonNode> turnStarts(String threadId) {
        return FakeT3Resource.server().dispatched().stream()
                .filter(c -> "thread.turn.start".equals(c.path("type").asText()) && threadId.equals(c.path("threadId").asText()))
                .toList();
    }

    JsonPath killSwitch(boolean engaged) {
        return given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"engaged\": " + engaged + ", \"reason\": \"attacker scenario\"}")
                .put("/api/afk/kill-switch").then().statusCode(200).extract().jsonPath();
    }

    /**
     * Cancels the repository's unfinished runs and ticks until they are, so that they send nothing
     * in a later test (the fake T3 is shared). The switch is released first: a held command blocks
     * a cancel until then.
     */
    void cancelUnfinishedRuns(Fixture repo) {
        killSwitch(false);
        runs(repo).stream().filter(r -> !List.of("DONE", "CANCELLED", "FROZEN", "ESCALATED").contains(r.get("state")))
                .forEach(r -> given().header("Authorization", Tokens.operator()).post("/api/afk/runs/" + r.get("id") + "/cancel")
                        .then().statusCode(200));
        join(() -> sql.preparedQuery("update afk_run set next_reconcile_at = now() where repo = $1 and active")
                .execute(Tuple.of(repo.slug().toString())).replaceWithVoid());
        if (runs(repo).stream().anyMatch(r -> !List.of("DONE", "CANCELLED", "FROZEN", "ESCALATED").contains(r.get("state")))) {
            tickUntil(repo, "CANCELLED", 5);
        }
    }

    static <T> T join(Supplier<Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(work::get);
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    List<Map<String, Object>> runs(Fixture repo) {
        return given().header("Authorization", Tokens.viewer()).queryParam("repo", repo.slug().toString())
                .get("/api/afk/runs").then().statusCode(200).extract().jsonPath().getList("");
    }

    JsonPath run(Fixture repo) {
        return given().header("Authorization", Tokens.viewer()).get("/api/afk/runs/" + runs(repo).getFirst().get("id"))
                .then().statusCode(200).extract().jsonPath();
    }

    JsonPath repoView(Fixture repo) {
        return given().header("Authorization", Tokens.viewer()).get("/api/afk/repos/" + repo.slug())
                .then().statusCode(200).extract().jsonPath();
    }

    /** A bare repository with one commit on main, as the canonical remote. */
    static Path bareRepository() {
        try {
            Path dir = Files.createTempDirectory("afk-e2e-origin");
            Path origin = dir.resolve("origin.git");
            Path seed = dir.resolve("seed");
            git(dir, "init", "--quiet", "--bare", "--initial-branch=main", origin.toString());
            git(dir, "init", "--quiet", "--initial-branch=main", seed.toString());
            Files.writeString(seed.resolve("README.md"), "# e2e\n");
            git(seed, "add", "README.md");
            git(seed, "-c", "user.name=e2e", "-c", "user.email=e2e@example.test", "commit", "--quiet", "-m", "Initial commit");
            git(seed, "push", "--quiet", origin.toString(), "main");
            return origin;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void git(Path dir, String... args) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: "
                        + new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
