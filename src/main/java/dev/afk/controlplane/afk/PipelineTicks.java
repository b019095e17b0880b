package dev.afk.controlplane.afk;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.inject.Singleton;

/** Skips the pipeline's scheduled ticks when they are switched off (tests tick by hand). */
@Singleton
public class PipelineTicks implements Scheduled.SkipPredicate {

    private final PipelineConfig config;

    PipelineTicks(PipelineConfig config) {
        this.config = config;
    }

    @Override
    public boolean test(ScheduledExecution execution) {
        return !config.ticksEnabled();
    }
}
