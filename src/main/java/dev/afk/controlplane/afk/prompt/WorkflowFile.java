package dev.afk.controlplane.afk.prompt;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.afk.controlplane.afk.repos.Caps;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Optional;

/**
 * A repository's own {@code .afk/workflow.md}: YAML front matter for settings, Markdown body for
 * the prompt. Parsed strictly: an unknown key or a bad value is an error, not a silent default.
 */
public record WorkflowFile(Settings settings, String body) {

    public static final String PATH = ".afk/workflow.md";

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** Front matter keys. */
    @RegisterForReflection
    public record Settings(
            @JsonProperty("test_command") String testCommand,
            @JsonProperty("ci") Ci ci,
            @JsonProperty("caps") WorkflowCaps caps) {

        public static final Settings NONE = new Settings(null, null, null);

        public Optional<Caps> capsOrNone() {
            return Optional.ofNullable(caps).map(WorkflowCaps::toCaps);
        }
    }

    @RegisterForReflection
    public record Ci(
            @JsonProperty("stages") List<String> stages,
            @JsonProperty("required_checks") List<String> requiredChecks) {}

    @RegisterForReflection
    public record WorkflowCaps(
            @JsonProperty("max_fix_forward_attempts") Integer maxFixForwardAttempts,
            @JsonProperty("fix_forward_window_minutes") Integer fixForwardWindowMinutes,
            @JsonProperty("run_wall_clock_minutes") Integer runWallClockMinutes,
            @JsonProperty("attempt_wall_clock_minutes") Integer attemptWallClockMinutes,
            @JsonProperty("stall_after_minutes") Integer stallAfterMinutes,
            @JsonProperty("max_turns") Integer maxTurns,
            @JsonProperty("max_cost_usd") Double maxCostUsd,
            @JsonProperty("ci_pending_limit_minutes") Integer ciPendingLimitMinutes) {

        Caps toCaps() {
            return new Caps(maxFixForwardAttempts, fixForwardWindowMinutes, runWallClockMinutes, attemptWallClockMinutes,
                    stallAfterMinutes, maxTurns, maxCostUsd, ciPendingLimitMinutes);
        }
    }

    /** Front matter between two {@code ---} lines at the very top; without it the whole file is the prompt. */
    public static WorkflowFile parse(String text) {
        String normalized = text.replace("\r\n", "\n");
        if (!normalized.startsWith("---\n")) {
            return new WorkflowFile(Settings.NONE, requireBody(normalized));
        }
        int end = normalized.indexOf("\n---\n", 3);
        if (end < 0) {
            throw new TemplateException(PATH + ": front matter is not closed by a '---' line");
        }
        String yaml = normalized.substring(4, end + 1);
        Settings settings;
        try {
            settings = yaml.isBlank() ? Settings.NONE : YAML.readValue(yaml, Settings.class);
        } catch (Exception e) {
            throw new TemplateException(PATH + ": front matter is not valid: " + describe(e));
        }
        return new WorkflowFile(settings == null ? Settings.NONE : settings, requireBody(normalized.substring(end + 5)));
    }

    private static String requireBody(String body) {
        if (body.isBlank()) {
            throw new TemplateException(PATH + ": the prompt (Markdown body) is empty");
        }
        return body;
    }

    /**
     * What is wrong, in the file's own terms: the repository's authors read this (dry run, repository
     * status), so it names keys and values, never the classes they are read into.
     */
    static String describe(Exception e) {
        if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException unknown) {
            return "unknown key '" + path(unknown) + "'";
        }
        if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException mismatched && !mismatched.getPath().isEmpty()) {
            return "'" + path(mismatched) + "' has a value of the wrong type";
        }
        String message = e instanceof com.fasterxml.jackson.core.JsonProcessingException json ? json.getOriginalMessage() : null;
        // Whatever is left must not name a Java type either.
        return firstLine(message).replaceAll("\\(?class [^)]*\\)?", "").replaceAll("\\b(?:[a-z_][a-z0-9_]*\\.)+[A-Z][\\w$]*", "a value").strip();
    }

    private static String path(com.fasterxml.jackson.databind.JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(java.util.stream.Collectors.joining("."));
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
