package dev.afk.controlplane.agents;

import dev.afk.controlplane.agents.queue.AgentWake;
import dev.afk.controlplane.agents.runtime.AgentStatus;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * The per-agent setting "an answer wakes a stopped agent": starts it through its runtime (a
 * container is started by the engine, a native agent's node type is told and its desired state
 * becomes running), exactly as an operator's start would.
 */
@ApplicationScoped
class AnswerWakeUp implements AgentWake {

    private static final Logger LOG = Logger.getLogger(AnswerWakeUp.class);

    private final AgentStore store;
    private final Runtimes runtimes;

    AnswerWakeUp(AgentStore store, Runtimes runtimes) {
        this.store = store;
        this.runtimes = runtimes;
    }

    @Override
    public Uni<Boolean> wakeIfWanted(String agent) {
        return store.findLive(agent).flatMap(row -> {
            if (row == null || !row.wakeOnAnswer) {
                return Uni.createFrom().item(false);
            }
            var runtime = runtimes.of(row.kind());
            return runtime.status(row.spec()).flatMap(status -> AgentStatus.RUNNING.equals(status)
                    ? Uni.createFrom().item(false)
                    : runtime.start(row.spec()).flatMap(started -> store.setDesiredState(row.id, AgentStatus.RUNNING))
                            .invoke(woken -> LOG.infof("Agent %s started: an answer to one of its queue items arrived", agent))
                            .replaceWith(true));
        });
    }
}
