package dev.afk.controlplane.workspace.git;

import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.github.GitHubConnection;
import dev.afk.controlplane.workspace.InvalidWorkspaceRequest;
import dev.afk.controlplane.workspace.Workspaces;
import dev.afk.controlplane.workspace.WorkspacesConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * {@link Workspaces} on the git command line: one persistent clone per repository, one worktree
 * per run, laid out by {@link WorkspaceLayout}. Operations on one checkout are serialised by
 * {@link RepoLocks}; checkouts of different repositories proceed in parallel. All git and file
 * work runs on the worker pool.
 */
@ApplicationScoped
public class GitWorkspaces implements Workspaces {

    private static final Logger LOG = Logger.getLogger(GitWorkspaces.class);
    private static final Duration TOKEN_WAIT = Duration.ofSeconds(30);
    private static final Set<String> CLONE_SCHEMES = Set.of("https", "http", "ssh", "file");

    private final WorkspacesConfig config;
    private final WorkspaceLayout layout;
    private final GitCli git;
    private final RepoLocks locks;
    private final Executor executor;
    private final Clock clock;
    private final AtomicLong bytesUsed = new AtomicLong();
    private final Counter evictions;
    private final Counter orphansRemoved;

    /**
     * Git's credentials: the configured token file if there is one, else the GitHub App's
     * installation token (short-lived, re-minted before it expires), else none (anonymous).
     */
    static Supplier<Optional<String>> tokens(WorkspacesConfig config, GitHubConnection github) {
        if (config.tokenFile().isPresent()) {
            return GitCli.fromFile(Path.of(config.tokenFile().get()));
        }
        // Git runs on the worker pool, where waiting for the token is allowed.
        return () -> github.installationToken().await().atMost(TOKEN_WAIT);
    }

    @Inject
    GitWorkspaces(WorkspacesConfig config, Clock clock, MeterRegistry registry, GitHubConnection github) {
        this(config, clock, registry, Infrastructure.getDefaultWorkerPool(), new ProcessRunner(), tokens(config, github));
    }

    GitWorkspaces(WorkspacesConfig config, Clock clock, MeterRegistry registry, Executor executor, ProcessRunner runner) {
        this(config, clock, registry, executor, runner,
                config.tokenFile().map(file -> GitCli.fromFile(Path.of(file))).orElse(Optional::empty));
    }

    GitWorkspaces(WorkspacesConfig config, Clock clock, MeterRegistry registry, Executor executor, ProcessRunner runner,
            Supplier<Optional<String>> token) {
        this.config = config;
        this.layout = new WorkspaceLayout(Path.of(config.root()));
        this.git = new GitCli(config.gitBinary(), runner, token, config.tokenUsername());
        this.locks = new RepoLocks(executor, layout::lockFile);
        this.executor = executor;
        this.clock = clock;
        Gauge.builder("afk.workspaces.disk.used", bytesUsed, AtomicLong::get).baseUnit("bytes")
                .description("Bytes under the workspace root at the last housekeeping").register(registry);
        Gauge.builder("afk.workspaces.disk.budget", config.diskBudget(), budget -> budget.asLongValue()).baseUnit("bytes")
                .description("Disk budget above which least-recently-used checkouts are evicted").register(registry);
        Gauge.builder("afk.workspaces.operations.pending", locks, RepoLocks::pending)
                .description("Git operations running or waiting for their checkout's lock").register(registry);
        evictions = Counter.builder("afk.workspaces.evictions")
                .description("Checkouts evicted to stay within the disk budget").register(registry);
        orphansRemoved = Counter.builder("afk.workspaces.orphans.removed")
                .description("Worktrees removed because no live run owned them").register(registry);
    }

    @Override
    public String checkoutPath(RepoSlug repo) {
        return layout.checkoutPath(WorkspaceLayout.checkoutKey(repo)).toString();
    }

    @Override
    public Uni<Worktree> prepare(Request request) {
        return onCallersContext(() -> {
            String key = WorkspaceLayout.checkoutKey(request.repo());
            WorkspaceLayout.safeName(request.runId());
            String defaultBranch = WorkspaceLayout.defaultBranch(request.defaultBranch());
            String cloneUrl = checkedCloneUrl(request.cloneUrl());
            if (request.issue() <= 0) {
                throw new InvalidWorkspaceRequest("issue numbers are positive");
            }
            return locks.serialize(key, () -> prepareLocked(key, cloneUrl, defaultBranch, request.runId(), request.issue()));
        });
    }

    @Override
    public Uni<Void> release(RepoSlug repo, String runId, boolean keep) {
        return onCallersContext(() -> {
            String key = WorkspaceLayout.checkoutKey(repo);
            WorkspaceLayout.safeName(runId);
            if (keep) {
                LOG.infof("Keeping worktree for forensics repo=%s run=%s", key, runId);
                return Uni.createFrom().voidItem();
            }
            return locks.serialize(key, () -> {
                removeWorktree(key, runId);
                return null;
            }).replaceWithVoid();
        });
    }

    @Override
    public Uni<Housekeeping> housekeep(Set<String> liveRunIds) {
        Set<String> live = Set.copyOf(liveRunIds);
        return onCallersContext(() -> blocking(() -> {
                    discardAbandonedClones();
                    return keysOnDisk();
                })
                .flatMap(keys -> eachUnderItsLock(keys, key -> tidy(key, live)))
                .flatMap(removed -> evictOverBudget()
                        .flatMap(evicted -> blocking(this::measure).map(bytes -> new Housekeeping(removed, evicted, bytes)))));
    }

    private Worktree prepareLocked(String key, String cloneUrl, String defaultBranch, String runId, int issue) {
        Path worktree = layout.worktree(key, runId);
        Path checkout = ensureCheckout(key, cloneUrl);
        layout.markUsed(key, clock.instant());
        String branch = WorkspaceLayout.branch(issue, runId);
        Map<Path, String> registered = registeredWorktrees(checkout);
        if (registered.containsKey(worktree) && Files.exists(worktree)) {
            return new Worktree(worktree.toString(), branch, creationPoint(checkout, branch));
        }
        discardUnregistered(checkout, worktree);
        git.run(checkout, config.commandTimeout(), "fetch", "--prune", "--no-auto-maintenance", "origin");
        String base = git.run(checkout, config.commandTimeout(),
                "rev-parse", "--verify", "refs/remotes/origin/" + defaultBranch + "^{commit}").strip();
        createDirectories(worktree.getParent());
        // -B: a branch left by a crash between "add" and our bookkeeping is simply reset.
        git.run(checkout, config.commandTimeout(), "worktree", "add", "--no-track", "-B", branch, worktree.toString(), base);
        LOG.infof("Prepared worktree repo=%s run=%s branch=%s base=%s", key, runId, branch, base);
        return new Worktree(worktree.toString(), branch, base);
    }

    /** Clones on first use (into a side directory, renamed into place only once complete). */
    private Path ensureCheckout(String key, String cloneUrl) {
        Path checkout = layout.checkout(key);
        if (isCheckout(checkout)) {
            String current = git.run(checkout, config.commandTimeout(), "remote", "get-url", "origin").strip();
            if (!current.equals(cloneUrl)) {
                git.run(checkout, config.commandTimeout(), "remote", "set-url", "origin", cloneUrl);
            }
            return checkout;
        }
        if (Files.exists(checkout)) {
            LOG.warnf("Replacing a directory that is not a git checkout repo=%s", key);
            layout.deleteTree(checkout);
        }
        createDirectories(layout.root());
        Path cloning = layout.cloningDirectory(key, UUID.randomUUID().toString());
        try {
            git.run(layout.root(), config.cloneTimeout(), "clone", "--quiet", "--", cloneUrl, cloning.toString());
            Files.move(cloning, checkout, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            layout.deleteTree(cloning);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            layout.deleteTree(cloning);
            throw e;
        }
        LOG.infof("Cloned checkout repo=%s", key);
        return checkout;
    }

    /** A worktree directory git does not know (a crash mid-add) is in the way of a fresh add. */
    private void discardUnregistered(Path checkout, Path worktree) {
        if (Files.exists(worktree)) {
            layout.deleteTree(worktree);
        }
        git.run(checkout, config.commandTimeout(), "worktree", "prune");
    }

    /** Removes the run's worktree and branch; returns whether there was anything to remove. */
    private boolean removeWorktree(String key, String runId) {
        Path checkout = layout.checkout(key);
        Path worktree = layout.worktree(key, runId);
        if (!isCheckout(checkout)) {
            boolean existed = Files.exists(worktree);
            layout.deleteTree(worktree);
            return existed;
        }
        Map<Path, String> registered = registeredWorktrees(checkout);
        boolean existed = Files.exists(worktree) || registered.containsKey(worktree);
        if (registered.containsKey(worktree) && Files.exists(worktree)) {
            git.run(checkout, config.commandTimeout(), "worktree", "remove", "--force", "--force", worktree.toString());
        } else {
            layout.deleteTree(worktree);
        }
        git.run(checkout, config.commandTimeout(), "worktree", "prune");
        String runSuffix = WorkspaceLayout.branch(0, runId).substring("afk/0".length());
        Set<String> inUse = new TreeSet<>(registeredWorktrees(checkout).values());
        for (String branch : git.run(checkout, config.commandTimeout(),
                "for-each-ref", "--format=%(refname:short)", "refs/heads/afk/").lines().toList()) {
            if (branch.endsWith(runSuffix) && !inUse.contains(branch)) {
                git.run(checkout, config.commandTimeout(), "branch", "-D", branch);
            }
        }
        if (existed) {
            LOG.infof("Removed worktree repo=%s run=%s", key, runId);
        }
        return existed;
    }

    /** Removes orphaned worktrees of one checkout, then prunes and garbage-collects it. */
    private int tidy(String key, Set<String> live) {
        Instant cutoff = clock.instant().minus(config.orphanGrace());
        int removed = 0;
        for (String runId : layout.worktreeRunIds(key)) {
            Path worktree = layout.worktree(key, runId);
            if (!live.contains(runId) && WorkspaceLayout.modified(worktree).isBefore(cutoff) && removeWorktree(key, runId)) {
                LOG.warnf("Removed orphaned worktree no live run owns repo=%s run=%s", key, runId);
                orphansRemoved.increment();
                removed++;
            }
        }
        Path checkout = layout.checkout(key);
        if (isCheckout(checkout)) {
            git.run(checkout, config.commandTimeout(), "worktree", "prune");
            git.run(checkout, config.commandTimeout(), "gc", "--auto", "--quiet");
        }
        if (layout.worktreeRunIds(key).isEmpty()) {
            layout.deleteTree(layout.worktreesOf(key));
        }
        return removed;
    }

    /** Evicts least-recently-used checkouts without worktrees until the root fits the budget. */
    private Uni<Integer> evictOverBudget() {
        long budget = config.diskBudget().asLongValue();
        return blocking(() -> new AtomicLong(measure() - budget))
                .flatMap(excess -> excess.get() <= 0 ? Uni.createFrom().item(0)
                        : blocking(this::evictionCandidates).flatMap(keys -> eachUnderItsLock(keys, key -> evict(key, excess))));
    }

    private List<String> evictionCandidates() {
        return layout.checkoutKeys().stream()
                .filter(key -> layout.worktreeRunIds(key).isEmpty())
                .sorted(Comparator.comparing(layout::lastUsed))
                .toList();
    }

    /** One checkout after the other, each under its lock; sums what each step counted. */
    private Uni<Integer> eachUnderItsLock(List<String> keys, ToIntFunction<String> step) {
        return Multi.createFrom().iterable(keys)
                .onItem().transformToUniAndConcatenate(key -> locks.serialize(key, () -> step.applyAsInt(key)))
                .collect().with(Collectors.summingInt(Integer::intValue));
    }

    /** Checked again under the lock: a run may have prepared a worktree since the plan was made. */
    private int evict(String key, AtomicLong excess) {
        if (excess.get() <= 0 || !layout.worktreeRunIds(key).isEmpty()) {
            return 0;
        }
        Path checkout = layout.checkout(key);
        long size = layout.bytesUnder(checkout);
        layout.deleteTree(checkout);
        layout.deleteTree(layout.worktreesOf(key));
        excess.addAndGet(-size);
        evictions.increment();
        LOG.infof("Evicted checkout to stay within the disk budget repo=%s bytes=%d", key, size);
        return 1;
    }

    /** Clones a crashed process left half-done; young ones may still be running on another replica. */
    private void discardAbandonedClones() {
        Instant cutoff = clock.instant().minus(config.orphanGrace());
        for (Path clone : layout.abandonedClones()) {
            if (WorkspaceLayout.modified(clone).isBefore(cutoff)) {
                layout.deleteTree(clone);
            }
        }
    }

    private long measure() {
        long total = 0;
        for (String key : keysOnDisk()) {
            total += layout.bytesUnder(layout.checkout(key)) + layout.bytesUnder(layout.worktreesOf(key));
        }
        bytesUsed.set(total);
        return total;
    }

    private List<String> keysOnDisk() {
        Set<String> keys = new TreeSet<>(layout.checkoutKeys());
        keys.addAll(layout.worktreeKeys());
        return List.copyOf(keys);
    }

    /** Worktrees git has registered for the checkout, by path, with their branch (null when detached). */
    private Map<Path, String> registeredWorktrees(Path checkout) {
        Map<Path, String> worktrees = new HashMap<>();
        Path current = null;
        for (String line : git.run(checkout, config.commandTimeout(), "worktree", "list", "--porcelain").lines().toList()) {
            if (line.startsWith("worktree ")) {
                current = Path.of(line.substring("worktree ".length())).toAbsolutePath().normalize();
                worktrees.put(current, null);
            } else if (line.startsWith("branch refs/heads/") && current != null) {
                worktrees.put(current, line.substring("branch refs/heads/".length()));
            }
        }
        return worktrees;
    }

    /** The commit the run's branch was created from: the oldest entry of its reflog. */
    private String creationPoint(Path checkout, String branch) {
        List<String> entries = git.run(checkout, config.commandTimeout(),
                "reflog", "show", "--format=%H", "refs/heads/" + branch, "--").lines().toList();
        return entries.isEmpty()
                ? git.run(checkout, config.commandTimeout(), "rev-parse", "refs/heads/" + branch).strip()
                : entries.getLast();
    }

    private static boolean isCheckout(Path checkout) {
        return Files.isDirectory(checkout.resolve(".git"));
    }

    /** Only transports we understand, and never credentials in the URL (they would be stored and logged). */
    private static String checkedCloneUrl(String cloneUrl) {
        URI uri;
        try {
            uri = new URI(cloneUrl == null ? "" : cloneUrl);
        } catch (URISyntaxException e) {
            throw new InvalidWorkspaceRequest("the clone URL is not a URL");
        }
        if (uri.getScheme() == null || !CLONE_SCHEMES.contains(uri.getScheme().toLowerCase())) {
            throw new InvalidWorkspaceRequest("clone URLs must use https, http, ssh or file");
        }
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null && (userInfo.contains(":") || uri.getScheme().startsWith("http"))) {
            throw new InvalidWorkspaceRequest("clone URLs must not carry credentials; configure a token file instead");
        }
        return cloneUrl;
    }

    private static void createDirectories(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The work runs on the worker pool; its result comes back on the caller's Vert.x context, if it
     * had one, so a caller can carry on with reactive database work after it.
     */
    private static <T> Uni<T> onCallersContext(Supplier<Uni<T>> work) {
        return Uni.createFrom().deferred(() -> {
            Context caller = Vertx.currentContext();
            Uni<T> result = work.get();
            return caller == null ? result : result.emitOn(command -> caller.runOnContext(ignored -> command.run()));
        });
    }

    private <T> Uni<T> blocking(Supplier<T> work) {
        return Uni.createFrom().item(work).runSubscriptionOn(executor);
    }
}
