package dev.afk.controlplane.agents.queue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The operator queue: what agents ask a human, whatever their runtime. Sources raise items through
 * {@link #raise}; people answer or dismiss them through the API; each answer is handed to the
 * source's {@link AnswerRelay} at most once, recorded durably so that a crash neither loses nor
 * repeats it. Made at startup, so that its metrics are exported before the first item.
 */
@Startup
@ApplicationScoped
public class OperatorQueue {

    private static final Logger LOG = Logger.getLogger(OperatorQueue.class);
    private static final int EXCERPT_CHARS = 500;
    private static final int RELAY_ATTEMPTS = 5;
    private static final Duration STALE_CLAIM = Duration.ofMinutes(10);

    /** What became of an offered item: the item (new, or already raised) or why it was refused. */
    public record Raised(QueueItem item, boolean duplicate, String rejection) {

        public boolean accepted() {
            return item != null;
        }
    }

    private final QueueStore store;
    private final Pool pool;
    private final Clock clock;
    private final QueueConfig config;
    private final ItemParser parser;
    private final Instance<AnswerRelay> relays;
    private final AgentWake wake;
    private final Instance<RaiseHook> hooks;
    private final Timer timeToAnswer;
    private final Counter relaysFailed;
    private final Counter rejected;
    private final Map<String, AtomicLong> pendingByKind = new ConcurrentHashMap<>();

    OperatorQueue(Pool pool, Clock clock, QueueConfig config, Instance<AnswerRelay> relays, AgentWake wake,
            Instance<RaiseHook> hooks, MeterRegistry registry) {
        this.store = new QueueStore(pool);
        this.pool = pool;
        this.clock = clock;
        this.config = config;
        this.parser = new ItemParser(config.maxTextChars(), config.maxOptions(), config.maxOptionChars(), config.maxExpiry());
        this.relays = relays;
        this.wake = wake;
        this.hooks = hooks;
        this.timeToAnswer = Timer.builder("afk.queue.time.to.answer").description("From raised to answered")
                .register(registry);
        this.relaysFailed = Counter.builder("afk.queue.relays.failed")
                .description("Answers that could not be handed to their agent after the last attempt").register(registry);
        this.rejected = Counter.builder("afk.queue.items.rejected").description("Offered items refused as malformed or over a cap")
                .register(registry);
        for (ItemDraft.Kind kind : ItemDraft.Kind.values()) {
            AtomicLong gauge = pendingByKind.computeIfAbsent(kind.wire(), k -> new AtomicLong());
            Gauge.builder("afk.queue.items.pending", gauge, AtomicLong::get).tag("kind", kind.wire())
                    .description("Pending queue items, as of the last expiry pass").register(registry);
        }
    }

    /**
     * Raises what an agent offered (a decoded JSON object). Malformed or over a cap: recorded as a
     * rejection and answered as such, never thrown, so a source can move on rather than retry.
     */
    public Uni<Raised> raise(String agent, String source, Object offered) {
        return agentId(agent).flatMap(id -> {
            if (id == null) {
                return Uni.createFrom().item(new Raised(null, false, "no such agent"));
            }
            ItemParser.Parsed parsed = parser.parse(offered);
            if (!parsed.ok()) {
                return reject(id, agent, source, parsed.rejection(), offered);
            }
            Instant now = clock.instant();
            Duration expiresIn = parsed.draft().expiresIn() != null ? parsed.draft().expiresIn() : config.defaultExpiry();
            return store.insert(id, source, parsed.draft(), now, now.plus(expiresIn), config.maxPendingPerAgent(),
                    config.maxPerHour()).flatMap(inserted -> inserted.refusal() != null
                            ? reject(id, agent, source, inserted.refusal(), offered)
                            : Uni.createFrom().item(new Raised(inserted.item(), inserted.existed(), null)))
                    .call(this::tellHooks);
        });
    }

    /**
     * Records what an agent offered as refused as a whole (a file that is no list of items, say), so
     * that the operator sees it; the source does not offer it again until it changes.
     */
    public Uni<Void> refuse(String agent, String source, String reason, Object offered) {
        return agentId(agent).flatMap(id -> id == null ? Uni.createFrom().voidItem()
                : reject(id, agent, source, reason, offered).replaceWithVoid());
    }

    private Uni<Void> tellHooks(Raised raised) {
        if (!raised.accepted() || !"pending".equals(raised.item().state())) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom().iterable(hooks.stream().toList())
                .onItem().transformToUniAndConcatenate(hook -> Uni.createFrom().deferred(() -> hook.raised(raised.item()))
                        .onFailure().invoke(e -> LOG.warnf("A raise hook failed for queue item %s: %s", raised.item().id(),
                                e.getClass().getSimpleName()))
                        .onFailure().recoverWithNull())
                .collect().last().replaceWithVoid();
    }

    private Uni<Raised> reject(long agentId, String agent, String source, String reason, Object offered) {
        rejected.increment();
        LOG.infof("Refused a queue item from agent %s (%s): %s", agent, source, reason);
        return store.reject(agentId, source, reason, excerpt(offered), clock.instant())
                .replaceWith(new Raised(null, false, reason));
    }

    private static String excerpt(Object offered) {
        String text = String.valueOf(offered);
        return text.length() <= EXCERPT_CHARS ? text : text.substring(0, EXCERPT_CHARS);
    }

    private Uni<Long> agentId(String agent) {
        return pool.preparedQuery("select id from agent where name = $1 and deleted_at is null").execute(Tuple.of(agent))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getLong("id") : null);
    }

    /** Refused offers recorded for an agent. */
    public Uni<Long> rejections(String agent) {
        return agentId(agent).flatMap(id -> id == null ? Uni.createFrom().item(0L) : store.rejections(id));
    }

    public Uni<QueueItem> find(UUID id) {
        return store.find(id).map(found -> found.orElseThrow(QueueProblem::notFound));
    }

    public Uni<QueuePage> list(boolean admin, String name, String email, QueueFilter filter) {
        return store.page(admin, name, email, filter);
    }

    /**
     * Answers a pending item, once: a second answer, or one after expiry, is a 409. The answer is
     * then relayed; should that fail, the relay pass retries it.
     */
    public Uni<QueueItem> answer(QueueItem item, String answer, String by) {
        if ("alert".equals(item.kind())) {
            throw QueueProblem.invalidAnswer("An alert is acknowledged by dismissing it; it takes no answer");
        }
        if (answer == null || answer.isBlank() || answer.length() > config.maxAnswerChars()) {
            throw QueueProblem.invalidAnswer("answer must be 1 to " + config.maxAnswerChars() + " characters");
        }
        if (!item.options().isEmpty() && !item.options().contains(answer)) {
            throw QueueProblem.invalidAnswer("answer must be one of " + item.options());
        }
        return store.answer(item.id(), answer, by, clock.instant()).flatMap(answered -> {
            if (answered.isEmpty()) {
                return store.find(item.id()).<QueueItem>map(now -> {
                    throw QueueProblem.notPending(now.map(i -> "pending".equals(i.state()) ? "expired" : i.state()).orElse("gone"));
                });
            }
            QueueItem done = answered.get();
            timeToAnswer.record(Duration.between(done.raisedAt(), done.answeredAt()));
            LOG.infof("Queue item %s of agent %s answered by %s", done.id(), done.agent(), by);
            return relay(done).flatMap(relayed -> store.find(done.id())).map(f -> f.orElse(done));
        });
    }

    /**
     * The source's item was answered by the source's own route (an AFK run's answer route): closed as
     * answered, with nothing left to relay. False when there was no such pending item.
     */
    public Uni<Boolean> answeredAtSource(String agent, String source, String sourceRef, String answer, String by) {
        return agentId(agent).flatMap(id -> id == null ? Uni.createFrom().item(false)
                : store.answeredAtSource(id, source, sourceRef, truncate(answer, config.maxAnswerChars()), by, clock.instant()))
                .invoke(closed -> {
                    if (closed) {
                        LOG.infof("Queue item %s of agent %s answered by %s at its source", sourceRef, agent, by);
                    }
                });
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }

    public Uni<QueueItem> dismiss(QueueItem item, String by) {
        return store.dismiss(item.id(), by, clock.instant()).map(dismissed -> {
            LOG.infof("Queue item %s of agent %s dismissed by %s", item.id(), item.agent(), by);
            return dismissed.orElseThrow(() -> QueueProblem.notPending(item.state()));
        });
    }

    /** Hands one answer to its source; marks it relayed only after the source took it. Never fails. */
    private Uni<Void> relay(QueueItem item) {
        return store.claimRelay(item.id(), clock.instant()).flatMap(claimed -> claimed ? relayClaimed(item)
                : Uni.createFrom().voidItem());
    }

    private Uni<Void> relayClaimed(QueueItem item) {
        AnswerRelay relay = relays.stream().filter(r -> r.source().equals(item.source())).findFirst().orElse(null);
        if (relay == null) {
            // Nothing to hand it to: the answer is on record, and that is the relay.
            return store.relayed(item.id(), clock.instant());
        }
        // A stopped agent that wants waking is started first; the answer is relayed either way.
        Uni<Boolean> woken = Uni.createFrom().deferred(() -> wake.wakeIfWanted(item.agent()))
                .onFailure().invoke(e -> LOG.warnf("Agent %s could not be woken for its answer: %s", item.agent(),
                        e.getClass().getSimpleName()))
                .onFailure().recoverWithItem(false);
        return woken.flatMap(ignored -> relay.relay(item))
                .flatMap(done -> store.relayed(item.id(), clock.instant()))
                .onFailure().recoverWithUni(e -> {
                    LOG.warnf("Relaying the answer to queue item %s of agent %s failed: %s", item.id(), item.agent(),
                            e.getClass().getSimpleName());
                    return store.relayFailed(item.id(), RELAY_ATTEMPTS).invoke(gaveUp -> {
                        if (gaveUp) {
                            relaysFailed.increment();
                        }
                    }).replaceWithVoid();
                });
    }

    /** Expires what is past its expiry and retries the answers whose relay is still owed. */
    @Scheduled(every = "${afk.agents.queue.expire-every:1m}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduledPass() {
        return expire().flatMap(n -> store.abandonStaleClaims(clock.instant().minus(STALE_CLAIM)))
                .invoke(n -> {
                    if (n > 0) {
                        relaysFailed.increment(n);
                        LOG.warnf("%d answer relays were left half-done by a stopped replica; marked failed, not resent", n);
                    }
                })
                .flatMap(n -> relayOwed())
                .onFailure().invoke(e -> LOG.warnf("Queue pass failed: %s", e.getClass().getSimpleName()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Expires pending items past their expiry and refreshes the pending gauges; the number expired. */
    public Uni<Integer> expire() {
        return store.expire(clock.instant()).call(n -> store.pendingByKind().invoke(rows -> {
            pendingByKind.values().forEach(g -> g.set(0));
            rows.forEach(r -> pendingByKind.computeIfAbsent(r.getString("kind"), k -> new AtomicLong()).set(r.getLong("n")));
        }));
    }

    public Uni<Void> relayOwed() {
        return store.owedRelays(100).flatMap(items -> items.isEmpty() ? Uni.createFrom().voidItem()
                : Multi.createFrom().iterable(items).onItem().transformToUniAndConcatenate(this::relay).collect().asList()
                        .replaceWithVoid());
    }

    /** The newest pending items of all agents; for the status page. */
    public Uni<QueuePage> pending(int limit) {
        return store.page(true, "", "", new QueueFilter(null, null, "pending", null, 0, limit));
    }
}
