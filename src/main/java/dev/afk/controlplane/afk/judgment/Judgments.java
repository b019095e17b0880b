package dev.afk.controlplane.afk.judgment;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;
import dev.afk.controlplane.agents.runtime.AgentSpec;
import dev.afk.controlplane.agents.runtime.TaskOutcome;
import dev.afk.controlplane.agents.runtime.TaskRequest;
import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.model.Model;
import dev.afk.controlplane.model.ModelBudget;
import dev.afk.controlplane.model.ModelCalls;
import dev.afk.controlplane.model.ModelUnavailable;
import dev.afk.controlplane.model.OverBudget;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** What the judgment node types share: one model call per task, its answer parsed strictly, its cost on the task. */
final class Judgments {

    static final String REPO = "repo";

    /** Unknown fields, missing fields and nulls are all errors: a malformed answer is never guessed at. */
    private static final JsonMapper STRICT = JsonMapper.builder()
            .addModule(new ParameterNamesModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                    DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES, DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES,
                    DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            .build();

    private Judgments() {}

    /** The model's answer did not have the demanded shape. */
    static final class MalformedAnswer extends RuntimeException {
        MalformedAnswer(String message) {
            super(message);
        }
    }

    /**
     * Asks the model and turns its answer into an outcome with {@code conclude}; every way of not
     * getting a usable answer is a failed outcome with a stable code, and the usage is recorded
     * whenever the model answered.
     */
    static <T> Uni<TaskOutcome> judge(ModelCalls calls, AgentSpec agent, String nodeType, TaskRequest task, String system,
            String user, Model.Tool tool, Class<T> shape, Function<T, Uni<TaskOutcome>> conclude) {
        return calls.ask(new ModelBudget.Caller(agent.name(), nodeType, task.id()), system, user, tool)
                .flatMap(judged -> {
                    Model.Answer answer = judged.answer();
                    TaskOutcome.Usage usage = new TaskOutcome.Usage(answer.model(), answer.inputTokens(), answer.outputTokens(),
                            judged.costUsd());
                    Uni<TaskOutcome> concluded;
                    try {
                        concluded = conclude.apply(parse(answer, shape));
                    } catch (MalformedAnswer e) {
                        return Uni.createFrom().item(TaskOutcome.failed("malformed_answer", e.getMessage()).withUsage(usage));
                    }
                    return concluded.map(outcome -> outcome.withUsage(usage));
                })
                .onFailure(OverBudget.class).recoverWithItem(e -> TaskOutcome.failed("over_budget", e.getMessage()))
                .onFailure(ModelUnavailable.class).recoverWithItem(e -> TaskOutcome.failed("model_" + ((ModelUnavailable) e).code(),
                        e.getMessage()));
    }

    static <T> T parse(Model.Answer answer, Class<T> shape) {
        if (answer.toolInputJson() == null) {
            throw new MalformedAnswer("The model answered without the structured answer (stop reason "
                    + answer.stopReason() + ")");
        }
        if ("max_tokens".equals(answer.stopReason())) {
            throw new MalformedAnswer("The model's answer was cut off at its token limit");
        }
        try {
            return STRICT.readValue(answer.toolInputJson(), shape);
        } catch (Exception e) {
            throw new MalformedAnswer("The model's answer does not have the required shape: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    static Optional<RepoSlug> repo(Map<String, Object> config) {
        try {
            return config.get(REPO) instanceof String text ? Optional.of(RepoSlug.parse(text)) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Config problems of a node type whose only key is {@code repo}. */
    static List<String> validateRepoOnly(Map<String, Object> config) {
        if (repo(config).isEmpty()) {
            return List.of("'repo' must name a repository as owner/name");
        }
        List<String> unknown = config.keySet().stream().filter(key -> !REPO.equals(key)).sorted().toList();
        return unknown.isEmpty() ? List.of() : List.of("unknown keys: " + String.join(", ", unknown));
    }

    /**
     * Model text made safe to show in a Markdown comment: one line, no HTML, no mentions, no code
     * spans that could break out of the formatting around it.
     */
    static String plain(String text, int max) {
        String flat = text.replaceAll("\\s+", " ").strip()
                .replace("<", "&lt;").replace(">", "&gt;").replace("`", "'").replace("@", "@\u200b");
        return flat.length() <= max ? flat : flat.substring(0, max) + "…";
    }

    static Map<String, Object> arrayOfStrings(int maxItems) {
        return Map.of("type", "array", "items", Map.of("type", "string"), "maxItems", maxItems);
    }
}
