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

    /** Container agents: where the agent keeps its items, read and written through the engine. */
    Containers containers();

    interface Containers {

        /** The queue file inside each agent container ({@code ~/.trinity/operator-queue.json} of its user). */
        @WithDefault("/home/developer/.trinity/operator-queue.json")
        String file();

        /** How often running agent containers' files are read. */
        @WithDefault("5s")
        Duration every();

        /** Bytes of a queue file; a larger one is refused before it is read. */
        @WithDefault("262144")
        int maxBytes();

        /** Items read from one file; the rest are refused and recorded. */
        @WithDefault("50")
        int maxItems();

        /** Containers read per pass, and how many at once. */
        @WithDefault("200")
        int perPass();

        @WithDefault("4")
        int concurrency();
    }
}
