package dev.afk.controlplane.afk.runs;

import java.util.List;

/**
 * The outcome of one decision: the run's next progress, the effects to perform, and the line for
 * the timeline ({@code null} when nothing worth recording happened, e.g. usage figures moved).
 */
public record Decision(Progress next, List<Effect> effects, String event) {

    public boolean changes(Progress current) {
        return !next.equals(current) || !effects.isEmpty();
    }
}
