package dev.afk.controlplane.afk.killswitch;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The global kill switch: while engaged nothing is dispatched. Persisted in PostgreSQL so every
 * replica agrees; every change is audited.
 */
@ApplicationScoped
public class KillSwitch {

    private final KillSwitchConfig config;
    private final Clock clock;
    private final AtomicInteger engagedGauge = new AtomicInteger(1);

    KillSwitch(KillSwitchConfig config, Clock clock, MeterRegistry registry) {
        this.config = config;
        this.clock = clock;
        Gauge.builder("afk.kill.switch.engaged", engagedGauge, AtomicInteger::get)
                .description("1 while the global kill switch is engaged (nothing dispatches)")
                .register(registry);
    }

    @WithSession
    public Uni<KillSwitchState> state() {
        return KillSwitchRow.<KillSwitchRow>findById(KillSwitchRow.SINGLETON_ID).map(this::observe);
    }

    /** Effective value only: the cheap check the dispatcher makes before any other I/O. */
    public Uni<Boolean> engaged() {
        return state().map(KillSwitchState::engaged);
    }

    @WithTransaction
    public Uni<KillSwitchState> set(boolean engaged, String reason, String changedBy) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return KillSwitchRow.<KillSwitchRow>findById(KillSwitchRow.SINGLETON_ID, LockModeType.PESSIMISTIC_WRITE)
                .call(row -> {
                    row.engaged = engaged;
                    row.reason = reason;
                    row.changedBy = changedBy;
                    row.changedAt = now;
                    KillSwitchChangeRow change = new KillSwitchChangeRow();
                    change.engaged = engaged;
                    change.reason = reason;
                    change.changedBy = changedBy;
                    change.changedAt = now;
                    return change.persist();
                })
                .map(this::observe);
    }

    @WithSession
    public Uni<List<KillSwitchChange>> history(int limit) {
        return KillSwitchChangeRow.<KillSwitchChangeRow>find("order by id desc").page(0, limit).list()
                .map(rows -> rows.stream()
                        .map(r -> new KillSwitchChange(r.engaged, r.reason, r.changedBy, r.changedAt))
                        .toList());
    }

    /** Keeps the gauge true for changes made through other replicas. */
    @Scheduled(every = "${afk.kill-switch.metric-refresh:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refreshGauge() {
        return state().replaceWithVoid();
    }

    private KillSwitchState observe(KillSwitchRow row) {
        boolean forced = config.forceEngaged();
        boolean engaged = forced || row.engaged;
        engagedGauge.set(engaged ? 1 : 0);
        return new KillSwitchState(engaged, forced, row.reason, row.changedBy, row.changedAt);
    }
}
