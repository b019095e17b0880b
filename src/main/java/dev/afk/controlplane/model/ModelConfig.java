package dev.afk.controlplane.model;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithDefaults;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The language model the judgment node types ask, their limits and the daily budgets. */
@ConfigMapping(prefix = "afk.model")
public interface ModelConfig {

    /** File holding the API key (a mounted Secret); no file means every call fails as {@code model_unavailable}. */
    Optional<Path> apiKeyFile();

    /** Base URL of the Messages API; empty means the SDK's default. */
    Optional<String> baseUrl();

    /** Deadline to connect to the model's service. */
    @WithDefault("5s")
    Duration connectTimeout();

    /** Retries of a call the service refused for overload (529), rate limits (429) or a server error. */
    @WithDefault("2")
    int maxRetries();

    /** A {@code retry-after} longer than this is not waited for: the call fails at once. */
    @WithDefault("30s")
    Duration maxRetryAfter();

    /** Budgets across every agent, per UTC day. */
    Budget global();

    /** Per node type ({@code triage}, {@code ci-diagnosis}): the model, its limits, its prices, and each agent's daily budget. */
    @WithDefaults
    Map<String, NodeTypeModel> nodeTypes();

    interface Budget {
        @WithDefault("2000000")
        long tokensPerDay();

        @WithDefault("20")
        BigDecimal usdPerDay();
    }

    interface NodeTypeModel {
        @WithDefault("claude-sonnet-4-6")
        String model();

        /** {@code max_tokens} of one call; also what a call reserves of the budget for its answer. */
        @WithDefault("1024")
        int maxOutputTokens();

        /** Characters of context (issue, logs) put into one prompt at most. */
        @WithDefault("48000")
        int maxInputChars();

        /** Deadline of one call (one attempt). */
        @WithDefault("60s")
        Duration timeout();

        /** Price per million input tokens, in USD. */
        @WithDefault("3")
        BigDecimal inputUsdPerMillion();

        /** Price per million output tokens, in USD. */
        @WithDefault("15")
        BigDecimal outputUsdPerMillion();

        /** One agent's budget per UTC day. */
        @WithDefault("200000")
        long agentTokensPerDay();

        @WithDefault("2")
        BigDecimal agentUsdPerDay();
    }
}
