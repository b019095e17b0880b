package dev.afk.controlplane.afk.fakes;

import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.executor.Executor;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stateful in-memory executor. Like the real one, a command id it has seen is a no-op, so a
 * retried dispatch never starts a second thread. Tests drive each thread through {@link Thread}.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class FakeExecutor implements Executor {

    private static final Pattern RUN_TRAILER = Pattern.compile("AFK-Run: ([0-9a-f-]{36})");

    private final Clock clock;
    private final Map<RepoSlug, String> projects = new ConcurrentHashMap<>();
    private final Map<String, RepoSlug> projectRepos = new ConcurrentHashMap<>();
    private final Map<String, Thread> threads = new ConcurrentHashMap<>();
    private final List<Thread> started = new CopyOnWriteArrayList<>();
    private final List<StartWork> startCalls = new CopyOnWriteArrayList<>();
    private final Set<String> commands = ConcurrentHashMap.newKeySet();
    private final Map<RepoSlug, Consumer<Thread>> onStart = new ConcurrentHashMap<>();
    private final Map<RepoSlug, Integer> failStarts = new ConcurrentHashMap<>();
    private final Map<RepoSlug, CompletableFuture<Void>> heldStarts = new ConcurrentHashMap<>();
    private final List<String> commandLog = new CopyOnWriteArrayList<>();

    FakeExecutor(Clock clock) {
        this.clock = clock;
    }

    /** One thread as the fake executor holds it. */
    public final class Thread {
        final String id;
        final RepoSlug repo;
        final StartWork start;
        ThreadStatus status = ThreadStatus.RUNNING;
        List<PendingRequest> pending = List.of();
        Usage usage = Usage.UNKNOWN;
        java.time.Instant lastProgressAt;
        String error;
        final List<String> messages = new ArrayList<>();
        final List<String> answers = new ArrayList<>();
        int interrupts;

        Thread(RepoSlug repo, StartWork start) {
            this.id = start.threadId();
            this.repo = repo;
            this.start = start;
            this.lastProgressAt = clock.instant();
            messages.add(start.prompt());
        }

        public String id() {
            return id;
        }

        public RepoSlug repo() {
            return repo;
        }

        public StartWork start() {
            return start;
        }

        /** The run id the prompt told the agent to put in its trailers. */
        public String runId() {
            Matcher m = RUN_TRAILER.matcher(start.prompt());
            if (!m.find()) {
                throw new IllegalStateException("prompt carries no AFK-Run trailer");
            }
            return m.group(1);
        }

        public synchronized Thread finish() {
            status = ThreadStatus.IDLE_COMPLETED;
            lastProgressAt = clock.instant();
            return this;
        }

        public synchronized Thread error(String message) {
            status = ThreadStatus.ERRORED;
            error = message;
            lastProgressAt = clock.instant();
            return this;
        }

        public synchronized Thread progress() {
            lastProgressAt = clock.instant();
            return this;
        }

        public synchronized Thread usage(Integer turns, Double costUsd) {
            usage = new Usage(null, null, costUsd, turns);
            return this;
        }

        public synchronized Thread ask(String requestId, String question) {
            status = ThreadStatus.WAITING_FOR_INPUT;
            pending = List.of(new PendingRequest(requestId, PendingRequest.Kind.QUESTION, question, List.of(requestId + "-q")));
            lastProgressAt = clock.instant();
            return this;
        }

        public synchronized ThreadStatus status() {
            return status;
        }

        public synchronized List<String> messages() {
            return List.copyOf(messages);
        }

        public synchronized List<String> answers() {
            return List.copyOf(answers);
        }

        public synchronized int interrupts() {
            return interrupts;
        }

        synchronized ThreadObservation observation() {
            return new ThreadObservation(status, pending, usage, lastProgressAt, error);
        }
    }

    // --- scripting -----------------------------------------------------------------------

    /** What the "agent" does when a thread of the repository starts (e.g. push and finish at once). */
    public void onStart(RepoSlug repo, Consumer<Thread> behaviour) {
        onStart.put(repo, behaviour);
    }

    /** The next {@code times} starts for the repository fail, as an unreachable executor would. */
    public void failStarts(RepoSlug repo, int times) {
        failStarts.put(repo, times);
    }

    /** Starts for the repository answer only once the returned gate completes, as a slow executor would. */
    public CompletableFuture<Void> holdStarts(RepoSlug repo) {
        return heldStarts.computeIfAbsent(repo, r -> new CompletableFuture<>());
    }

    public Thread latest(RepoSlug repo) {
        return started.stream().filter(t -> t.repo.equals(repo)).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no thread started for " + repo));
    }

    public List<Thread> threads(RepoSlug repo) {
        return started.stream().filter(t -> t.repo.equals(repo)).toList();
    }

    public List<Thread> allThreads() {
        return List.copyOf(started);
    }

    /** Every command received, in order, as {@code kind:subject} (ensure-project, start-work, message, answer, interrupt). */
    public List<String> commandLog() {
        return List.copyOf(commandLog);
    }

    /** Every startWork call received, repeats included. */
    public List<StartWork> startCalls() {
        return List.copyOf(startCalls);
    }

    // --- the port ----------------------------------------------------------------------------

    @Override
    public Uni<String> ensureProject(RepoSlug repo, String workspaceRoot) {
        return Uni.createFrom().item(() -> {
            commandLog.add("ensure-project:" + repo);
            String id = projects.computeIfAbsent(repo, r -> "project-" + r.owner() + "-" + r.name());
            projectRepos.put(id, repo);
            return id;
        });
    }

    @Override
    public Uni<Void> startWork(StartWork work) {
        RepoSlug heldRepo = projectRepos.get(work.projectId());
        CompletableFuture<Void> gate = heldRepo == null ? null : heldStarts.get(heldRepo);
        Uni<Void> held = gate == null ? Uni.createFrom().voidItem() : Uni.createFrom().completionStage(gate);
        return held.chain(() -> Uni.createFrom().item(() -> {
            RepoSlug repo = projectRepos.get(work.projectId());
            commandLog.add("start-work:" + work.threadId());
            startCalls.add(work);
            Integer failures = failStarts.get(repo);
            if (failures != null && failures > 0) {
                failStarts.put(repo, failures - 1);
                throw new IllegalStateException("executor unavailable");
            }
            if (!commands.add(work.createCommandId()) || threads.containsKey(work.threadId())) {
                return null;
            }
            Thread thread = new Thread(repo, work);
            threads.put(thread.id, thread);
            started.add(thread);
            onStart.getOrDefault(repo, t -> {}).accept(thread);
            return null;
        }));
    }

    @Override
    public Uni<Void> sendMessage(String threadId, String commandId, String messageId, String text) {
        return Uni.createFrom().item(() -> {
            commandLog.add("message:" + threadId);
            Thread thread = known(threadId);
            if (commands.add(commandId)) {
                synchronized (thread) {
                    thread.messages.add(text);
                    thread.status = ThreadStatus.RUNNING;
                    thread.lastProgressAt = clock.instant();
                }
            }
            return null;
        });
    }

    @Override
    public Uni<Map<String, ThreadObservation>> observe(Collection<String> threadIds) {
        return Uni.createFrom().item(() -> {
            Map<String, ThreadObservation> seen = new HashMap<>();
            for (String id : threadIds) {
                Thread thread = threads.get(id);
                seen.put(id, thread == null ? ThreadObservation.unknown() : thread.observation());
            }
            return seen;
        });
    }

    @Override
    public Uni<Void> answer(String threadId, String commandId, PendingRequest request, String answer) {
        return Uni.createFrom().item(() -> {
            commandLog.add("answer:" + threadId);
            Thread thread = known(threadId);
            if (commands.add(commandId)) {
                synchronized (thread) {
                    thread.answers.add(answer);
                    thread.pending = List.of();
                    thread.status = ThreadStatus.RUNNING;
                    thread.lastProgressAt = clock.instant();
                }
            }
            return null;
        });
    }

    @Override
    public Uni<Void> interrupt(String threadId, String commandId) {
        return Uni.createFrom().item(() -> {
            commandLog.add("interrupt:" + threadId);
            Thread thread = known(threadId);
            if (commands.add(commandId)) {
                synchronized (thread) {
                    thread.interrupts++;
                    thread.status = ThreadStatus.INTERRUPTED;
                }
            }
            return null;
        });
    }

    @Override
    public Uni<Void> stopSession(String threadId, String commandId) {
        return interrupt(threadId, commandId);
    }

    @Override
    public URI deepLink(String threadId) {
        return URI.create("https://executor.test/?thread=" + threadId);
    }

    private Thread known(String threadId) {
        Thread thread = threads.get(threadId);
        if (thread == null) {
            throw new IllegalArgumentException("unknown thread " + threadId);
        }
        return thread;
    }
}
