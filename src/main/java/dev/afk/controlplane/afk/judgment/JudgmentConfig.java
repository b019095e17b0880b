package dev.afk.controlplane.afk.judgment;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The judgment node types' own settings; their model, limits and budgets are {@code afk.model.*}. */
@ConfigMapping(prefix = "afk.judgment")
public interface JudgmentConfig {

    /** How often every running triage agent's repository is polled for issues changed since their triage. */
    @WithDefault("5m")
    Duration triagePollEvery();

    /** How long fix-forward waits for a diagnosis before it goes on without one. */
    @WithDefault("2m")
    Duration diagnosisWait();

    /** Bytes of log read per failing check (its end); at most three checks are read. */
    @WithDefault("16384")
    int logBytesPerCheck();
}
