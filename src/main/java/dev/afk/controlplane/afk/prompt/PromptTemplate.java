package dev.afk.controlplane.afk.prompt;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Markdown prompt with {@code {{ name }}} placeholders, rendered strictly: a name the template
 * does not know is an error, never an empty string. Untrusted values (the title and body)
 * are always rendered as fenced blocks whose fence the text itself cannot close.
 */
public final class PromptTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_.]*)\\s*}}");
    private static final Pattern BACKTICKS = Pattern.compile("`+");

    /** A value for a placeholder; untrusted values are fenced as data. */
    public record Value(String text, boolean untrusted) {
        public static Value trusted(String text) {
            return new Value(text, false);
        }

        public static Value untrusted(String text) {
            return new Value(text, true);
        }
    }

    private final String text;

    private PromptTemplate(String text) {
        this.text = text;
    }

    /** Parses and checks every placeholder against the names the caller will supply. */
    public static PromptTemplate parse(String text, Set<String> knownNames) {
        Set<String> unknown = new LinkedHashSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            if (!knownNames.contains(m.group(1))) {
                unknown.add(m.group(1));
            }
        }
        if (!unknown.isEmpty()) {
            throw new TemplateException("unknown template variable(s): " + String.join(", ", unknown)
                    + "; known: " + String.join(", ", knownNames.stream().sorted().toList()));
        }
        String leftover = PLACEHOLDER.matcher(text).replaceAll("");
        if (leftover.contains("{{") || leftover.contains("}}")) {
            throw new TemplateException("malformed placeholder: every '{{' needs a name and a closing '}}'");
        }
        return new PromptTemplate(text);
    }

    public String render(Map<String, Value> values) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Value value = values.get(m.group(1));
            if (value == null) {
                throw new TemplateException("no value for template variable " + m.group(1));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value.untrusted() ? fence(value.text()) : value.text()));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A fence longer than any run of backticks inside the text, so the text stays data. */
    public static String fence(String untrusted) {
        String body = untrusted == null ? "" : untrusted.replace("\r\n", "\n");
        int longest = 0;
        Matcher m = BACKTICKS.matcher(body);
        while (m.find()) {
            longest = Math.max(longest, m.group().length());
        }
        String fence = "`".repeat(Math.max(3, longest + 1));
        return fence + "text untrusted\n" + body + (body.endsWith("\n") ? "" : "\n") + fence;
    }
}
