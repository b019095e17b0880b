package dev.afk.controlplane.afk;

import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * A scheduled pass that can also be asked for now: an event that makes work due (a webhook's signal,
 * a queued run, a run that moved) need not wait for the next tick. Requests coalesce: here at most
 * one requested pass runs at a time, and any request made while it runs asks for one more after it.
 * The schedule stays the safety net: a request lost with a crash only makes the work as late as the
 * next tick, and concurrent passes are safe as they are across replicas.
 */
public final class OnDemandPass {

    private static final Logger LOG = Logger.getLogger(OnDemandPass.class);
    private static final int IDLE = 0;
    private static final int RUNNING = 1;
    private static final int RUNNING_AND_OWED = 2;

    private final String name;
    private final Vertx vertx;
    private final Supplier<Uni<Void>> pass;
    private final AtomicInteger state = new AtomicInteger(IDLE);

    public OnDemandPass(String name, Vertx vertx, Supplier<Uni<Void>> pass) {
        this.name = name;
        this.vertx = vertx;
        this.pass = pass;
    }

    /** Runs the pass soon, off the caller's path; never blocks. */
    public void request() {
        if (state.getAndUpdate(s -> Math.min(s + 1, RUNNING_AND_OWED)) == IDLE) {
            start();
        }
    }

    private void start() {
        // A context of its own: the pass must not run as part of the request that asked for it.
        VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext()).runOnContext(ignored -> Uni.createFrom()
                .deferred(pass::get)
                .subscribe().with(done -> finished(), failure -> {
                    LOG.warnf(failure, "the requested %s pass failed; the scheduled one will retry", name);
                    finished();
                }));
    }

    private void finished() {
        if (state.getAndUpdate(s -> s - 1) == RUNNING_AND_OWED) {
            start();
        }
    }
}
