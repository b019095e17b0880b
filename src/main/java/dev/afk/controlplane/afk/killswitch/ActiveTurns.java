package dev.afk.controlplane.afk.killswitch;

import io.smallrye.mutiny.Uni;

/** The turns agents are running now, as the pipeline knows them: the kill switch can interrupt them all. */
public interface ActiveTurns {

    /** Interrupts every active run's turn; returns how many the executor acknowledged. */
    Uni<Integer> interruptAll(String by, String reason);
}
