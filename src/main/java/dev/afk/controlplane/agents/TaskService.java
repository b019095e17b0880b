package dev.afk.controlplane.agents;

import dev.afk.controlplane.agents.container.ContainerView;
import dev.afk.controlplane.agents.nativekind.Fleet;
import dev.afk.controlplane.agents.queue.OperatorQueue;
import dev.afk.controlplane.agents.runtime.AgentSpec;
import dev.afk.controlplane.agents.runtime.AgentStatus;
import dev.afk.controlplane.agents.runtime.Feature;
import dev.afk.controlplane.agents.runtime.RegistryConfig;
import dev.afk.controlplane.agents.runtime.RuntimeKind;
import dev.afk.controlplane.agents.runtime.TaskOutcome;
import dev.afk.controlplane.agents.runtime.TaskRequest;
import dev.afk.controlplane.agents.runtime.TaskSource;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The one task-execution path for both runtime kinds. It owns the task record, the per-agent
 * capacity and the lifecycle (queued → running → success | failed | cancelled); runtimes only
 * execute. Tasks run in the background: submitting answers at once with the queued record.
 * The replica running a task renews its lease; every replica sweeps tasks whose lease lapsed.
 */
@ApplicationScoped
class TaskService implements Fleet {

    private static final Logger LOG = Logger.getLogger(TaskService.class);
    static final String TRIGGER_MANUAL = "manual";
    static final String TRIGGER_ROUTER = "router";

    private final TaskStore tasks;
    private final AgentStore agents;
    private final Runtimes runtimes;
    private final ContainerView containers;
    private final OperatorQueue queue;
    private final Vertx vertx;
    private final Duration timeout;
    /** Tasks running on this replica, so a cancel can stop them. */
    private final Map<UUID, Cancellable> inFlight = new ConcurrentHashMap<>();

    TaskService(TaskStore tasks, AgentStore agents, Runtimes runtimes, ContainerView containers, OperatorQueue queue,
            Vertx vertx, RegistryConfig config) {
        this.tasks = tasks;
        this.agents = agents;
        this.runtimes = runtimes;
        this.containers = containers;
        this.queue = queue;
        this.vertx = vertx;
        this.timeout = config.tasks().timeout();
    }

    /** Queues a task on a running agent that supports tasks and has room (else 409 / 429), and starts it. */
    Uni<TaskView> submit(ResolvedAgent agent, String message, String requestedBy) {
        agent.require(Feature.TASKS);
        AgentRow row = agent.claimedRow();
        Optional<TaskSource> source = sourceOf(row);
        if (source.isPresent()) {
            return Uni.createFrom().failure(RegistryProblem.tasksManagedElsewhere(row.name, source.get().managedElsewhere(row.spec())));
        }
        if (!AgentStatus.RUNNING.equals(agent.view().status())) {
            return Uni.createFrom().failure(RegistryProblem.notRunning(agent.name(), agent.view().status()));
        }
        return enqueueAndLaunch(row, message, requestedBy, TRIGGER_MANUAL, null, null).map(task -> TaskView.of(task, row.name));
    }

    /**
     * Queues a task on behalf of the service itself (a webhook, a poll, the pipeline) and starts it;
     * the answer completes with the task's outcome. Fails when the agent is full.
     */
    Uni<Submitted> submitInternal(AgentRow row, String message, String requestedBy, String trigger) {
        CompletableFuture<TaskOutcome> outcome = new CompletableFuture<>();
        return enqueueAndLaunch(row, message, requestedBy, trigger, null, outcome)
                .map(task -> new Submitted(task.id, Uni.createFrom().completionStage(outcome)));
    }

    /** A task the service queued itself, and its outcome once it ends (failed {@code cancelled} if cancelled). */
    record Submitted(UUID id, Uni<TaskOutcome> outcome) {}

    Uni<List<TaskView>> recent(ResolvedAgent agent, int limit) {
        AgentRow row = agent.require(Feature.TASKS).claimedRow();
        Optional<TaskSource> source = sourceOf(row);
        if (source.isPresent()) {
            return source.get().recent(row.spec(), limit)
                    .map(list -> list.stream().map(t -> TaskView.of(t, row.name)).toList());
        }
        return tasks.recent(row.id, limit).map(list -> list.stream().map(t -> TaskView.of(t, row.name)).toList());
    }

    Uni<TaskView> get(ResolvedAgent agent, UUID id) {
        AgentRow row = agent.require(Feature.TASKS).claimedRow();
        Optional<TaskSource> source = sourceOf(row);
        if (source.isPresent()) {
            return source.get().find(row.spec(), id)
                    .map(task -> TaskView.of(task.orElseThrow(RegistryProblem::taskNotFound), row.name));
        }
        return tasks.find(row.id, id).map(task -> {
            if (task == null) {
                throw RegistryProblem.taskNotFound();
            }
            return TaskView.of(task, row.name);
        });
    }

    /** Cancels a queued or running task; cancelling a cancelled task is a no-op, a finished one a 409. */
    Uni<TaskView> cancel(ResolvedAgent agent, UUID id) {
        Optional<TaskSource> source = sourceOf(agent.claimedRow());
        if (source.isPresent()) {
            AgentRow row = agent.require(Feature.TASKS).row();
            return Uni.createFrom().failure(RegistryProblem.tasksManagedElsewhere(row.name, source.get().managedElsewhere(row.spec())));
        }
        return get(agent, id).flatMap(task -> switch (task.status()) {
            case TaskStatus.QUEUED, TaskStatus.RUNNING -> tasks.cancel(id)
                    .invoke(cancelled -> stopLocally(id))
                    .call(cancelled -> cancelled && TaskStatus.RUNNING.equals(task.status())
                            ? runtimes.of(agent.row().kind()).cancel(agent.row().spec(), id)
                            : Uni.createFrom().voidItem())
                    .flatMap(cancelled -> get(agent, id));
            case TaskStatus.CANCELLED -> Uni.createFrom().item(task);
            default -> Uni.createFrom().failure(RegistryProblem.taskFinished(task.status()));
        });
    }

    private Optional<TaskSource> sourceOf(AgentRow row) {
        return runtimes.of(row.kind()).taskSource(row.spec());
    }

    /** Tasks queued or running on the agent. */
    Uni<Integer> activeCount(AgentRow row) {
        return tasks.activeCounts(List.of(row.id)).map(counts -> counts.getOrDefault(row.id, 0));
    }

    /** Cancels every active task of an agent being deleted. */
    Uni<Void> cancelAll(AgentRow row) {
        return tasks.cancelAll(row.id).invoke(ids -> ids.forEach(this::stopLocally)).replaceWithVoid();
    }

    @Override
    public Uni<List<AgentLoad>> runningAgentsTagged(AgentSpec asking, String tag) {
        return agents.ownedBy(asking.owner()).flatMap(rows -> {
            List<AgentRow> tagged = rows.stream()
                    .filter(r -> !r.name.equals(asking.name()) && r.tagList().contains(tag))
                    .toList();
            Set<String> running = AgentMerge.merge(tagged, containers.current(), false).stream()
                    .filter(v -> AgentStatus.RUNNING.equals(v.status())).map(AgentView::name).collect(Collectors.toSet());
            List<AgentRow> candidates = tagged.stream().filter(r -> running.contains(r.name)).toList();
            return tasks.activeCounts(candidates.stream().map(r -> r.id).toList())
                    .map(counts -> candidates.stream()
                            .map(r -> new AgentLoad(r.name, counts.getOrDefault(r.id, 0), r.maxParallelTasks))
                            .toList());
        });
    }

    @Override
    public Uni<UUID> forward(AgentSpec from, TaskRequest task, String target) {
        return agents.findLive(target).flatMap(row -> {
            if (row == null || !row.owner.equals(from.owner())) {
                return Uni.createFrom().failure(RegistryProblem.notFound());
            }
            return enqueueAndLaunch(row, task.message(), "agent:" + from.name(), TRIGGER_ROUTER, task.id(), null)
                    .map(queued -> queued.id);
        });
    }

    @Override
    public Uni<OperatorQueue.Raised> ask(AgentSpec asking, Map<String, Object> item) {
        return queue.raise(asking.name(), NativeAnswers.SOURCE, item);
    }

    private Uni<AgentTaskRow> enqueueAndLaunch(AgentRow agent, String message, String requestedBy, String trigger,
            UUID parentId, CompletableFuture<TaskOutcome> outcome) {
        AgentTaskRow task = new AgentTaskRow();
        task.id = UUID.randomUUID();
        task.agentId = agent.id;
        task.trigger = trigger;
        task.requestedBy = requestedBy;
        task.message = message;
        task.parentId = parentId;
        return tasks.enqueue(task, agent.name).invoke(queued -> launch(agent.spec(), queued, outcome));
    }

    /**
     * Runs the task on a fresh Vert.x context of its own: the request that queued it has already
     * been answered, and its database session with it.
     */
    private void launch(AgentSpec agent, AgentTaskRow task, CompletableFuture<TaskOutcome> outcome) {
        TaskRequest request = new TaskRequest(task.id, task.message, task.requestedBy, timeout);
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> {
            AtomicBoolean done = new AtomicBoolean();
            Cancellable run = tasks.markRunning(task.id)
                    .flatMap(started -> started ? execute(agent, request).call(ended -> tasks.finish(task.id, ended))
                            : Uni.createFrom().<TaskOutcome>nullItem())
                    .onTermination().invoke((ended, failure, cancelled) -> {
                        done.set(true);
                        inFlight.remove(task.id);
                        if (outcome != null) {
                            outcome.complete(ended != null ? ended : TaskOutcome.failed(TaskStatus.CANCELLED,
                                    failure != null ? "The task could not be recorded" : "The task was cancelled"));
                        }
                    })
                    .subscribe().with(
                            finished -> LOG.debugf("Task %s of %s ended", task.id, agent.name()),
                            failure -> LOG.errorf(failure, "Task %s of %s could not be recorded", task.id, agent.name()));
            inFlight.put(task.id, run);
            // A task that ended before it was registered must not stay registered.
            if (done.get()) {
                inFlight.remove(task.id);
            }
        });
    }

    private Uni<TaskOutcome> execute(AgentSpec agent, TaskRequest request) {
        return Uni.createFrom().deferred(() -> runtimes.of(agent.kind()).execute(agent, request))
                .ifNoItem().after(request.timeout()).recoverWithItem(TaskOutcome.failed("timeout", "The task ran out of time"))
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf(e, "Task %s of %s failed", request.id(), agent.name());
                    return TaskOutcome.failed("agent_error", "The runtime failed: " + e.getClass().getSimpleName());
                });
    }

    /** Keeps the tasks running here claimed, so no sweep takes them for lost. */
    @Scheduled(every = "${afk.agents.tasks.lease-renew-every:15s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> renewLeases() {
        return tasks.renew(List.copyOf(inFlight.keySet()))
                .onFailure().invoke(e -> LOG.warnf("Could not renew task leases: %s", e.getClass().getSimpleName()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Fails the tasks whose replica stopped renewing them (see {@link TaskStore#sweepExpired}). */
    @Scheduled(every = "${afk.agents.tasks.sweep-every:30s}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweepScheduled() {
        return sweepExpiredLeases()
                .onFailure().invoke(e -> LOG.warnf("Task lease sweep failed: %s", e.getClass().getSimpleName()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    Uni<List<TaskStore.Swept>> sweepExpiredLeases() {
        return tasks.sweepExpired().invoke(swept -> swept.forEach(task -> {
            LOG.warnf("Task %s lost its replica; failed as %s", task.id(), task.errorCode());
            // This replica may still run it, if only its renewals failed: the outcome would not be recorded.
            stopLocally(task.id());
        }));
    }

    private void stopLocally(UUID id) {
        Cancellable run = inFlight.remove(id);
        if (run != null) {
            run.cancel();
        }
    }
}
