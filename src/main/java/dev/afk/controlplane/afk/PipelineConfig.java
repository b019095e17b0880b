package dev.afk.controlplane.afk;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The AFK pipeline's settings; per-repo caps (enrollment, workflow file) refine {@link #budgets()}. */
@ConfigMapping(prefix = "afk.pipeline")
public interface PipelineConfig {

    /** Scheduler ticks of the poller and reconciler; tests switch them off and tick by hand. */
    @WithDefault("true")
    boolean ticksEnabled();

    /** How often every enrolled repository is polled: the safety net under webhooks. */
    @WithDefault("30s")
    Duration pollEvery();

    /** How often webhook signals ("poll this repository soon") are drained. */
    @WithDefault("3s")
    Duration signalEvery();

    /** How often active runs are reconciled. */
    @WithDefault("10s")
    Duration reconcileEvery();

    /** How soon a run is looked at again after a pass, by phase. */
    Cadence cadence();

    /** How often the runs-by-state gauges re-read the database. */
    @WithDefault("30s")
    Duration metricsRefresh();

    /** Most runs active at once across all repositories. */
    @WithDefault("4")
    int globalCap();

    /** Runs one reconciler tick claims. */
    @WithDefault("20")
    int reconcileBatch();

    /** How long a claimed run stays leased to one replica before another may take it over. */
    @WithDefault("2m")
    Duration lease();

    /** How often a pass renews the leases of the runs it holds; a third of the lease unless set. */
    Optional<Duration> leaseRenewEvery();

    /** Failed attempts of one effect before the run is escalated (or, if finished, left for an operator). */
    @WithDefault("8")
    int maxEffectAttempts();

    /** Executor model for repositories that enroll without one. */
    @WithDefault("claude-sonnet-4-6")
    String defaultModel();

    /**
     * Whether enrollment accepts a repository on this machine's disk ({@code file://} URL or absolute
     * path). Off by default: a production service must not be told to read arbitrary local paths.
     */
    @WithDefault("false")
    boolean allowLocalCloneUrls();

    /** Label names for repositories that enroll without their own. */
    Labels labels();

    /** Built-in budgets; a repository may tighten them. */
    Budgets budgets();

    /**
     * The reconcile pass is the floor; a phase that waits on the outside world may be looked at less
     * often, because its events (webhooks, an operator's answer) bring the run forward at once.
     */
    interface Cadence {

        /** While the agent works (WORKING, FIX_FORWARDING): how often its progress is read. */
        @WithDefault("0s")
        Duration working();

        /** While CI runs: push, check and status webhooks bring the run forward, this is the safety net. */
        @WithDefault("30s")
        Duration awaitingCi();

        /** While the agent waits on a human: an answer brings the run forward at once. */
        @WithDefault("30s")
        Duration needsInput();
    }

    interface Labels {
        @WithDefault("ready-for-agent")
        String ready();

        @WithDefault("agent-in-progress")
        String inProgress();

        @WithDefault("ready-for-human")
        String human();
    }

    interface Budgets {
        @WithDefault("5")
        int maxFixForwardAttempts();

        /** Counted from the first red verdict of the run. */
        @WithDefault("60m")
        Duration fixForwardWindow();

        @WithDefault("6h")
        Duration runWallClock();

        /** One attempt: the first turn, or one fix-forward turn, until it pushes. */
        @WithDefault("2h")
        Duration attemptWallClock();

        /** No executor progress for this long while the agent is running: interrupt and escalate. */
        @WithDefault("20m")
        Duration stallAfter();

        @WithDefault("200")
        int maxTurns();

        @WithDefault("100")
        double maxCostUsd();

        /** CI pending for longer than this is an escalation, not an endless wait. */
        @WithDefault("45m")
        Duration ciPendingLimit();

        /** Grace after the agent goes idle before "finished without pushing": a push may need a moment to show. */
        @WithDefault("2m")
        Duration pushGrace();
    }
}
