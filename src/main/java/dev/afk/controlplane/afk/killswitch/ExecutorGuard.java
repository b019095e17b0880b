package dev.afk.controlplane.afk.killswitch;

import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.executor.Executor;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.Collection;
import java.util.Map;

/**
 * The kill switch in front of the executor port: every command that makes an agent act (a project,
 * a thread and its first turn, a corrective turn, an answer) is sent only while the switch is
 * released, checked at the moment of sending. The send runs inside a transaction that holds a
 * share lock on the switch's row, and engaging takes that row for update: an engage waits for the
 * sends already under way, and once it is acknowledged no replica sends another command.
 * Interrupting and stopping, which stop work, always pass; so do reads.
 */
@Decorator
@Priority(10)
abstract class ExecutorGuard implements Executor {

    @Inject
    @Delegate
    @Any
    Executor delegate;

    @Inject
    Pool pool;

    @Inject
    KillSwitchConfig config;

    private <T> Uni<T> whileReleased(java.util.function.Supplier<Uni<T>> command) {
        if (config.forceEngaged()) {
            return Uni.createFrom().failure(new KillSwitchEngaged());
        }
        return pool.withTransaction(sql -> sql.query("select engaged from kill_switch where id = 1 for share").execute()
                .chain(rows -> rows.iterator().next().getBoolean("engaged")
                        ? Uni.createFrom().failure(new KillSwitchEngaged())
                        : command.get()));
    }

    @Override
    public Uni<String> ensureProject(RepoSlug repo, String workspaceRoot) {
        return whileReleased(() -> delegate.ensureProject(repo, workspaceRoot));
    }

    @Override
    public Uni<Void> startWork(StartWork work) {
        return whileReleased(() -> delegate.startWork(work));
    }

    @Override
    public Uni<Void> sendMessage(String threadId, String commandId, String messageId, String text) {
        return whileReleased(() -> delegate.sendMessage(threadId, commandId, messageId, text));
    }

    @Override
    public Uni<Void> answer(String threadId, String commandId, PendingRequest request, String answer) {
        return whileReleased(() -> delegate.answer(threadId, commandId, request, answer));
    }

    @Override
    public Uni<Map<String, ThreadObservation>> observe(Collection<String> threadIds) {
        return delegate.observe(threadIds);
    }

    @Override
    public Uni<Void> interrupt(String threadId, String commandId) {
        return delegate.interrupt(threadId, commandId);
    }

    @Override
    public Uni<Void> stopSession(String threadId, String commandId) {
        return delegate.stopSession(threadId, commandId);
    }

    @Override
    public URI deepLink(String threadId) {
        return delegate.deepLink(threadId);
    }

    /** Delegated explicitly: the interface's default would answer "no hold" for every executor. */
    @Override
    public Uni<java.util.Optional<String>> dispatchHold() {
        return delegate.dispatchHold();
    }
}
