package dev.afk.controlplane.model;

/** A call refused before it was made: it could spend more than an agent's or the global daily budget. */
public class OverBudget extends RuntimeException {

    public OverBudget(String message) {
        super(message);
    }
}
