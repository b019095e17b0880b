package dev.afk.controlplane.agents.container;

import dev.afk.controlplane.agents.runtime.RegistryConfig;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The agent containers as the engine last reported them, kept from its event stream so that a
 * listing never waits for the engine. On every (re)connection the full list is read once and the
 * events that arrived meanwhile are replayed on it (they carry absolute states, so replaying one
 * the list already reflects changes nothing). While the stream is down the view is
 * {@link EngineListing#unavailable unavailable}: container agents are then {@code unknown}, never
 * "missing" from a stale picture.
 */
@ApplicationScoped
@Startup
public class ContainerView {

    private static final Logger LOG = Logger.getLogger(ContainerView.class);

    private final ContainerEngine engine;
    private final Duration reconnectAfter;
    private final Map<String, AgentContainer> byId = new HashMap<>();
    /** Events received while the full list is being read; null when not resynchronising. */
    private List<ContainerEvent> pending;
    /** Which connection a list answer belongs to: one from a dropped connection is ignored. */
    private long connection;
    private boolean closed;
    private Cancellable stream;
    private volatile EngineListing current = EngineListing.unavailable("The container engine's events are not read yet");

    @Inject
    ContainerView(ContainerEngine engine, RegistryConfig config) {
        this(engine, config.engine().reconnectAfter());
    }

    /** A view of its own over that engine; call {@link #watch()} to start it. */
    public ContainerView(ContainerEngine engine, Duration reconnectAfter) {
        this.engine = engine;
        this.reconnectAfter = reconnectAfter;
    }

    /** The labelled containers now, or why they are not known. Never blocks. */
    public EngineListing current() {
        return current;
    }

    @PostConstruct
    public synchronized void watch() {
        if (closed) {
            return;
        }
        long mine = ++connection;
        stream = engine.events().subscribe().with(
                event -> onEvent(mine, event),
                failure -> onGap(mine, failure.getMessage()),
                () -> onGap(mine, "The container engine closed its event stream"));
    }

    @PreDestroy
    public synchronized void close() {
        closed = true;
        if (stream != null) {
            stream.cancel();
        }
    }

    private synchronized void onEvent(long from, ContainerEvent event) {
        if (from != connection) {
            return;
        }
        if (event.kind() == ContainerEvent.Kind.CONNECTED) {
            pending = new ArrayList<>();
            engine.listAgents().subscribe().with(listing -> onList(from, listing), failure -> onGap(from, failure.getMessage()));
        } else if (pending != null) {
            pending.add(event);
        } else {
            apply(event);
            publish();
        }
    }

    private synchronized void onList(long from, EngineListing listing) {
        if (from != connection || pending == null) {
            return;
        }
        if (!listing.available()) {
            onGap(from, listing.problem());
            return;
        }
        byId.clear();
        listing.containers().forEach(c -> byId.put(c.id(), c));
        pending.forEach(this::apply);
        pending = null;
        publish();
        LOG.infof("Container view in step with the engine: %d agent containers", byId.size());
    }

    /** The stream ended or failed, or the list could not be read: unknown until the next resync. */
    private synchronized void onGap(long from, String problem) {
        if (from != connection) {
            return;
        }
        connection++; // whatever the old connection still delivers is ignored
        if (stream != null) {
            stream.cancel();
        }
        if (current.available()) {
            LOG.warnf("Lost the container engine's event stream (%s); container agents are unknown until it is back", problem);
        }
        pending = null;
        current = EngineListing.unavailable(problem);
        Uni.createFrom().voidItem().onItem().delayIt().by(reconnectAfter).subscribe().with(ignored -> watch());
    }

    private void apply(ContainerEvent event) {
        if (event.kind() == ContainerEvent.Kind.REMOVED) {
            byId.remove(event.id());
            return;
        }
        AgentContainer known = byId.get(event.id());
        if (known == null && event.state() == null) {
            return; // a rename of a container never seen: its state is unknown, the next resync has it
        }
        byId.put(event.id(), event.applyTo(known));
    }

    private void publish() {
        current = EngineListing.of(List.copyOf(byId.values()));
    }
}
