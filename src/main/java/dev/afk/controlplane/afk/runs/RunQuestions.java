package dev.afk.controlplane.afk.runs;

import dev.afk.controlplane.executor.Executor.PendingRequest;
import io.smallrye.mutiny.Uni;

/**
 * Where a run's question or approval waits for a person besides the run's own answer route: the
 * operator queue of the run's agent. Both calls are idempotent per request.
 */
public interface RunQuestions {

    /** The run waits on {@code request}: put it before people. Never fails for a refused item. */
    Uni<Void> asked(Run run, PendingRequest request);

    /** {@code request} was answered through the run's own route: close its item, relaying nothing. */
    Uni<Void> answered(Run run, PendingRequest request, String answer, String by);
}
