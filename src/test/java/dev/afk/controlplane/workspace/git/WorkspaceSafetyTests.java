package dev.afk.controlplane.workspace.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.support.TestClock;
import dev.afk.controlplane.workspace.InvalidWorkspaceRequest;
import dev.afk.controlplane.workspace.WorkspaceUnavailable;
import dev.afk.controlplane.workspace.Workspaces.Request;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Path traversal, option and credential injection, timeouts, and a token that never leaks. */
class WorkspaceSafetyTests {

    private static final RepoSlug APP = new RepoSlug("acme", "app");
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String TOKEN = "ghs_s3cr3tT0kenValue42";

    @TempDir
    Path temp;

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final RecordingRunner runner = new RecordingRunner();
    private final LogCapture logs = new LogCapture();
    private GitRemotes remotes;
    private Path root;

    @BeforeEach
    void setUp() {
        remotes = new GitRemotes(temp.resolve("remotes"));
        remotes.create("app");
        root = temp.resolve("volume");
        Logger.getLogger("dev.afk.controlplane.workspace").addHandler(logs);
    }

    @AfterEach
    void tearDown() {
        Logger.getLogger("dev.afk.controlplane.workspace").removeHandler(logs);
        executor.shutdownNow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../escape", "..", ".", "a/b", "/etc", "", ".hidden", "run id", "run\u0000id"})
    void runIdsThatCouldLeaveTheRootAreRejectedBeforeAnythingHappens(String runId) {
        GitWorkspaces workspaces = workspaces(TestSettings.under(root));

        assertThatThrownBy(() -> workspaces.prepare(request(remotes.url("app"), "main", runId)).await().atMost(WAIT))
                .isInstanceOf(InvalidWorkspaceRequest.class);
        assertThatThrownBy(() -> workspaces.release(APP, runId, false).await().atMost(WAIT))
                .isInstanceOf(InvalidWorkspaceRequest.class);
        assertThat(root).doesNotExist();
        assertThat(runner.commands).isEmpty();
    }

    @Test
    void everyPathIsCheckedToStayUnderTheRoot() {
        WorkspaceLayout layout = new WorkspaceLayout(root);

        assertThatThrownBy(() -> layout.under(root.resolve("../outside"))).isInstanceOf(InvalidWorkspaceRequest.class);
        assertThatThrownBy(() -> layout.under(root)).isInstanceOf(InvalidWorkspaceRequest.class);
        assertThatThrownBy(() -> layout.checkout("..__etc")).isInstanceOf(InvalidWorkspaceRequest.class);
        assertThatThrownBy(() -> layout.worktree("acme__app", "../../etc")).isInstanceOf(InvalidWorkspaceRequest.class);
        assertThatThrownBy(() -> layout.deleteTree(temp)).isInstanceOf(InvalidWorkspaceRequest.class);
        assertThat(layout.worktree("acme__app", "r1")).isEqualTo(root.resolve("worktrees/acme__app/run-r1"));
    }

    @Test
    void aSymbolicLinkCannotRedirectWorktreesOutsideTheRoot() throws IOException {
        Path outside = Files.createDirectories(temp.resolve("outside"));
        Files.createDirectories(root);
        Files.createSymbolicLink(root.resolve("worktrees"), outside);
        GitWorkspaces workspaces = workspaces(TestSettings.under(root));

        assertThatThrownBy(() -> workspaces.prepare(request(remotes.url("app"), "main", "run-1")).await().atMost(WAIT))
                .isInstanceOf(InvalidWorkspaceRequest.class);
        try (Stream<Path> written = Files.list(outside)) {
            assertThat(written).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"--upload-pack=touch pwned", "-main", "main..other", "main.lock", "refs/heads/", "ma in"})
    void defaultBranchesThatGitCouldReadAsOptionsAreRejected(String branch) {
        GitWorkspaces workspaces = workspaces(TestSettings.under(root));

        assertThatThrownBy(() -> workspaces.prepare(request(remotes.url("app"), branch, "run-1")).await().atMost(WAIT))
                .isInstanceOf(InvalidWorkspaceRequest.class);
        assertThat(runner.commands).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"-oProxyCommand=touch pwned", "ext::sh -c touch% pwned", "https://user:" + TOKEN + "@github.com/acme/app.git",
            "https://" + TOKEN + "@github.com/acme/app.git", "ssh://git:" + TOKEN + "@github.com/acme/app.git", "github.com/acme/app"})
    void cloneUrlsWithCredentialsOrUnknownTransportsAreRejected(String cloneUrl) {
        GitWorkspaces workspaces = workspaces(TestSettings.under(root));

        assertThatThrownBy(() -> workspaces.prepare(request(cloneUrl, "main", "run-1")).await().atMost(WAIT))
                .isInstanceOf(InvalidWorkspaceRequest.class)
                .satisfies(failure -> assertThat(failure.getMessage()).doesNotContain(TOKEN));
        assertThat(runner.commands).isEmpty();
    }

    @Test
    void aHangingGitIsKilledByItsTimeoutAndLeavesNothingBehind() throws IOException {
        try (SilentServer server = new SilentServer()) {
            GitWorkspaces workspaces = workspaces(TestSettings.under(root).withTimeouts(Duration.ofSeconds(2)));
            String url = "http://127.0.0.1:" + server.port() + "/acme/app.git";

            assertThatThrownBy(() -> workspaces.prepare(request(url, "main", "run-1")).await().atMost(WAIT))
                    .isInstanceOf(WorkspaceUnavailable.class)
                    .hasMessageContaining("killed after PT2S");
        }
        try (Stream<Path> left = Files.list(root)) {
            assertThat(left).as("the half-done clone is cleaned up")
                    .noneMatch(path -> path.getFileName().toString().startsWith(".cloning") || path.getFileName().toString().contains("__"));
        }
        await().atMost(WAIT).until(() -> ProcessHandle.current().descendants()
                .noneMatch(process -> process.info().command().orElse("").contains("git")));
    }

    @Test
    void theTokenReachesTheForgeOnlyThroughAskpassAndNeverAppearsInOutputLogsOrErrors() throws IOException {
        Path tokenFile = Files.writeString(temp.resolve("token"), TOKEN + "\n");
        List<String> authorizations = new CopyOnWriteArrayList<>();
        HttpServer forge = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        forge.createContext("/", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization != null) {
                authorizations.add(authorization);
            }
            exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"forge\"");
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
        });
        forge.start();
        GitWorkspaces workspaces = workspaces(TestSettings.under(root).withToken(tokenFile));
        try {
            String url = "http://127.0.0.1:" + forge.getAddress().getPort() + "/acme/app.git";
            assertThatThrownBy(() -> workspaces.prepare(request(url, "main", "run-1")).await().atMost(WAIT))
                    .isInstanceOf(WorkspaceUnavailable.class)
                    .hasMessageContaining("Authentication failed")
                    .satisfies(failure -> assertThat(failure.getMessage()).doesNotContain(TOKEN));
        } finally {
            forge.stop(0);
        }
        workspaces.prepare(request(remotes.url("app"), "main", "run-2")).await().atMost(WAIT);
        workspaces.release(APP, "run-2", false).await().atMost(WAIT);

        String basic = "Basic " + Base64.getEncoder().encodeToString(("x-access-token:" + TOKEN).getBytes(StandardCharsets.UTF_8));
        assertThat(authorizations).as("git answered the challenge with the token file").contains(basic);
        assertThat(runner.commands).isNotEmpty().allSatisfy(command -> assertThat(command).doesNotContain(TOKEN));
        assertThat(runner.outputs).isNotEmpty().allSatisfy(output -> assertThat(output).doesNotContain(TOKEN));
        assertThat(logs.lines).isNotEmpty().allSatisfy(line -> assertThat(line).doesNotContain(TOKEN));
    }

    @Test
    void withoutATokenFileGitGetsTheCurrentAppInstallationTokenForEachCommand() throws IOException {
        // An App-only install: no token file, a short-lived installation token re-minted as it expires.
        java.util.Iterator<String> minted = List.of("ghs_first" + TOKEN, "ghs_second" + TOKEN).iterator();
        java.util.concurrent.atomic.AtomicReference<String> current = new java.util.concurrent.atomic.AtomicReference<>();
        List<String> authorizations = new CopyOnWriteArrayList<>();
        HttpServer forge = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        forge.createContext("/", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization != null) {
                authorizations.add(authorization);
            }
            exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"forge\"");
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
        });
        forge.start();
        GitWorkspaces workspaces = new GitWorkspaces(TestSettings.under(root), new TestClock(), new SimpleMeterRegistry(),
                executor, runner, () -> java.util.Optional.of(current.updateAndGet(old -> minted.next())));
        try {
            String url = "http://127.0.0.1:" + forge.getAddress().getPort() + "/acme/app.git";
            for (String run : List.of("run-1", "run-2")) {
                assertThatThrownBy(() -> workspaces.prepare(request(url, "main", run)).await().atMost(WAIT))
                        .isInstanceOf(WorkspaceUnavailable.class)
                        .satisfies(failure -> assertThat(failure.getMessage()).doesNotContain(TOKEN));
            }
        } finally {
            forge.stop(0);
        }

        assertThat(authorizations).contains(basic("ghs_first" + TOKEN), basic("ghs_second" + TOKEN));
        assertThat(runner.commands).isNotEmpty().allSatisfy(command -> assertThat(command).doesNotContain(TOKEN));
        assertThat(runner.outputs).isNotEmpty().allSatisfy(output -> assertThat(output).doesNotContain(TOKEN));
        assertThat(logs.lines).allSatisfy(line -> assertThat(line).doesNotContain(TOKEN));
        try (Stream<Path> files = Files.walk(root)) {
            assertThat(files.filter(Files::isRegularFile)).as("the token is written to nothing on the shared volume")
                    .noneMatch(file -> contains(file, TOKEN));
        }
    }

    private static boolean contains(Path file, String text) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String basic(String token) {
        return "Basic " + Base64.getEncoder().encodeToString(("x-access-token:" + token).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void whateverGitPrintsIsRedactedBeforeItLeavesTheAdapter() throws IOException {
        Path tokenFile = Files.writeString(temp.resolve("token"), TOKEN);
        GitCli git = new GitCli("git", new ProcessRunner(), GitCli.fromFile(tokenFile), "x-access-token");

        assertThat(git.redact("fatal: could not read from https://bot:" + TOKEN + "@forge/acme/app.git; token " + TOKEN))
                .isEqualTo("fatal: could not read from https://***@forge/acme/app.git; token ***");
    }

    private GitWorkspaces workspaces(TestSettings settings) {
        return new GitWorkspaces(settings, new TestClock(), new SimpleMeterRegistry(), executor, runner);
    }

    private static Request request(String cloneUrl, String defaultBranch, String runId) {
        return new Request(APP, cloneUrl, defaultBranch, runId, 9);
    }

    /** Everything handed to and received from git processes, before any redaction. */
    private static final class RecordingRunner extends ProcessRunner {

        final List<String> commands = new CopyOnWriteArrayList<>();
        final List<String> outputs = new CopyOnWriteArrayList<>();

        @Override
        Outcome run(List<String> command, Path directory, Map<String, String> environment, Duration timeout) {
            commands.add(String.join(" ", command) + " " + environment);
            Outcome outcome = super.run(command, directory, environment, timeout);
            outputs.add(outcome.stdout() + outcome.stderr());
            return outcome;
        }
    }

    /** Log records of the workspace packages, message and parameters alike. */
    private static final class LogCapture extends Handler {

        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        public void publish(LogRecord record) {
            List<Object> parts = new ArrayList<>();
            parts.add(record.getMessage());
            if (record.getParameters() != null) {
                parts.addAll(List.of(record.getParameters()));
            }
            if (record.getThrown() != null) {
                parts.add(record.getThrown().getMessage());
            }
            lines.add(parts.toString());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    /** Accepts connections and never answers: the transport hangs until git is killed. */
    private static final class SilentServer implements AutoCloseable {

        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();

        SilentServer() throws IOException {
            Thread.ofVirtual().start(() -> {
                while (!socket.isClosed()) {
                    try {
                        accepted.add(socket.accept());
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket connection : accepted) {
                connection.close();
            }
        }
    }
}
