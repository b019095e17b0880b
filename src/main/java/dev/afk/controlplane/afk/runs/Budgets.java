package dev.afk.controlplane.afk.runs;

import dev.afk.controlplane.afk.PipelineConfig;
import dev.afk.controlplane.afk.repos.Caps;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Duration;
import java.util.function.BinaryOperator;

/** The limits a run is held to, resolved from the built-in values and the repository's caps. */
@RegisterForReflection
public record Budgets(
        int maxFixForwardAttempts,
        Duration fixForwardWindow,
        Duration runWallClock,
        Duration attemptWallClock,
        Duration stallAfter,
        int maxTurns,
        double maxCostUsd,
        Duration ciPendingLimit,
        Duration pushGrace) {

    public static Budgets of(PipelineConfig.Budgets b) {
        return new Budgets(b.maxFixForwardAttempts(), b.fixForwardWindow(), b.runWallClock(), b.attemptWallClock(),
                b.stallAfter(), b.maxTurns(), b.maxCostUsd(), b.ciPendingLimit(), b.pushGrace());
    }

    /** Caps set by an admin at enrollment replace the built-in values. */
    public Budgets overriddenBy(Caps caps) {
        return combine(caps, (current, wanted) -> wanted);
    }

    /** Caps from the repository's own workflow file may only make the budget smaller. */
    public Budgets tightenedBy(Caps caps) {
        return combine(caps, (current, wanted) -> wanted.compareTo(current) < 0 ? wanted : current);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Budgets combine(Caps caps, BinaryOperator<Comparable> pick) {
        return new Budgets(
                (Integer) choose(maxFixForwardAttempts, caps.maxFixForwardAttempts(), pick),
                (Duration) choose(fixForwardWindow, minutes(caps.fixForwardWindowMinutes()), pick),
                (Duration) choose(runWallClock, minutes(caps.runWallClockMinutes()), pick),
                (Duration) choose(attemptWallClock, minutes(caps.attemptWallClockMinutes()), pick),
                (Duration) choose(stallAfter, minutes(caps.stallAfterMinutes()), pick),
                (Integer) choose(maxTurns, caps.maxTurns(), pick),
                (Double) choose(maxCostUsd, caps.maxCostUsd(), pick),
                (Duration) choose(ciPendingLimit, minutes(caps.ciPendingLimitMinutes()), pick),
                pushGrace);
    }

    @SuppressWarnings({"rawtypes"})
    private static Comparable choose(Comparable current, Comparable wanted, BinaryOperator<Comparable> pick) {
        return wanted == null ? current : pick.apply(current, wanted);
    }

    private static Duration minutes(Integer minutes) {
        return minutes == null ? null : Duration.ofMinutes(minutes);
    }
}
