package dev.afk.controlplane.agents.queue;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Caps and timings of the operator queue. */
@ConfigMapping(prefix = "afk.agents.queue")
public interface QueueConfig {

    /** Pending items one agent may have; more are refused, against approval fatigue. */
    @WithDefault("20")
    int maxPendingPerAgent();

    /** Items one agent may raise per hour. */
    @WithDefault("60")
    int maxPerHour();

    /** Characters of an item's text. */
    @WithDefault("4000")
    int maxTextChars();

    /** Options of a choice, and characters of each. */
    @WithDefault("10")
    int maxOptions();

    @WithDefault("200")
    int maxOptionChars();

    /** Characters of an answer. */
    @WithDefault("4000")
    int maxAnswerChars();

    /** Expiry of an item that names none, and the longest one an item may ask for. */
    @WithDefault("24h")
    Duration defaultExpiry();

    @WithDefault("7d")
    Duration maxExpiry();

    /** How often pending items past their expiry are expired. */
    @WithDefault("1m")
    Duration expireEvery();
}
