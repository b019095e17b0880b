package dev.afk.controlplane.agents.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads an item an agent offered (a JSON object already decoded) into an {@link ItemDraft}, or says
 * why not. Pure: whatever the agent sent, the answer is a draft or a reason, never an exception.
 */
public final class ItemParser {

    private static final Pattern SOURCE_REF = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,255}");
    private static final Pattern ROLE = Pattern.compile("[a-z][a-z0-9-]{0,49}");

    /** A draft, or the reason it was refused. */
    public record Parsed(ItemDraft draft, String rejection) {

        static Parsed rejected(String reason) {
            return new Parsed(null, reason);
        }

        public boolean ok() {
            return draft != null;
        }
    }

    private final int maxText;
    private final int maxOptions;
    private final int maxOptionChars;
    private final Duration maxExpiry;

    public ItemParser(int maxText, int maxOptions, int maxOptionChars, Duration maxExpiry) {
        this.maxText = maxText;
        this.maxOptions = maxOptions;
        this.maxOptionChars = maxOptionChars;
        this.maxExpiry = maxExpiry;
    }

    public Parsed parse(Object offered) {
        if (!(offered instanceof Map<?, ?> item)) {
            return Parsed.rejected("an item must be a JSON object");
        }
        if (!(item.get("id") instanceof String ref) || !SOURCE_REF.matcher(ref).matches()) {
            return Parsed.rejected("id must be 1-128 characters of letters, digits and . _ : -");
        }
        ItemDraft.Kind kind = enumOf(ItemDraft.Kind.class, item.get("kind"));
        if (kind == null) {
            return Parsed.rejected("kind must be question, approval or alert");
        }
        ItemDraft.Priority priority = item.get("priority") == null ? ItemDraft.Priority.NORMAL
                : enumOf(ItemDraft.Priority.class, item.get("priority"));
        if (priority == null) {
            return Parsed.rejected("priority must be low, normal, high or urgent");
        }
        if (!(item.get("text") instanceof String text) || text.isBlank()) {
            return Parsed.rejected("text must be a non-blank string");
        }
        if (text.length() > maxText) {
            return Parsed.rejected("text is longer than " + maxText + " characters");
        }
        String addressee = addressee(item.get("addressee"));
        if (addressee == null) {
            return Parsed.rejected("addressee must be 'owner', 'person:<e-mail>' or 'role:<role>'");
        }
        List<String> options = new ArrayList<>();
        Object rawOptions = item.get("options");
        if (rawOptions != null) {
            if (!(rawOptions instanceof List<?> list) || list.size() > maxOptions) {
                return Parsed.rejected("options must be a list of at most " + maxOptions + " strings");
            }
            for (Object o : list) {
                if (!(o instanceof String s) || s.isBlank() || s.length() > maxOptionChars || options.contains(s)) {
                    return Parsed.rejected("each option must be a distinct non-blank string of at most " + maxOptionChars
                            + " characters");
                }
                options.add(s);
            }
        }
        if (kind == ItemDraft.Kind.APPROVAL && options.isEmpty()) {
            options = List.of("approve", "deny");
        }
        Duration expiresIn = null;
        Object expiry = item.get("expiresInSeconds");
        if (expiry != null) {
            if (!(expiry instanceof Number n) || n.doubleValue() < 1 || n.doubleValue() > maxExpiry.toSeconds()) {
                return Parsed.rejected("expiresInSeconds must be a number from 1 to " + maxExpiry.toSeconds());
            }
            expiresIn = Duration.ofSeconds(n.longValue());
        }
        return new Parsed(new ItemDraft(ref, kind, priority, addressee, text.strip(), List.copyOf(options), expiresIn), null);
    }

    private static String addressee(Object raw) {
        if (raw == null || "owner".equals(raw)) {
            return "owner";
        }
        if (!(raw instanceof String s) || s.length() > 330) {
            return null;
        }
        if (s.startsWith("person:") && EMAIL.matcher(s.substring(7)).matches()) {
            return "person:" + s.substring(7).toLowerCase(Locale.ROOT);
        }
        if (s.startsWith("role:") && ROLE.matcher(s.substring(5)).matches()) {
            return s;
        }
        return null;
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, Object raw) {
        if (!(raw instanceof String s) || s.length() > 20) {
            return null;
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(s)) {
                return e;
            }
        }
        return null;
    }
}
