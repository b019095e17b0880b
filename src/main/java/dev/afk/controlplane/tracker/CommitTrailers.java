package dev.afk.controlplane.tracker;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Trailers of a commit message by git's rules ({@code git interpret-trailers}): the last paragraph,
 * never the title, whose lines are {@code Token: value} (or {@code Token #value}, as in
 * {@code Refs #12}), indented lines continuing the previous value. The paragraph counts only if all
 * its lines are trailers, or at least a quarter are and one is git-generated (Signed-off-by, …).
 * Keys compare case-insensitively; a {@code #} separator stays in the value ({@code Refs #12} → "#12").
 */
public final class CommitTrailers {

    private static final Pattern TRAILER = Pattern.compile("^([A-Za-z0-9][A-Za-z0-9-]*)\\s*([:#])\\s*(.*)$");
    private static final List<String> GIT_GENERATED = List.of("Signed-off-by: ", "(cherry picked from commit ");

    private CommitTrailers() {}

    public static Map<String, List<String>> parse(String message) {
        List<String> lines = new ArrayList<>(List.of(message.replace("\r\n", "\n").split("\n", -1)));
        while (!lines.isEmpty() && lines.getLast().isBlank()) {
            lines.removeLast();
        }
        int start = lines.size();
        while (start > 0 && !lines.get(start - 1).isBlank()) {
            start--;
        }
        if (start == 0) {
            return Map.of(); // one paragraph: the title, never trailers
        }
        List<String> block = lines.subList(start, lines.size());
        Map<String, List<String>> trailers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        int trailerLines = 0;
        int otherLines = 0;
        boolean gitGenerated = false;
        String lastKey = null;
        for (String line : block) {
            Matcher matcher = TRAILER.matcher(line);
            if (!line.isEmpty() && Character.isWhitespace(line.charAt(0)) && lastKey != null) {
                List<String> values = trailers.get(lastKey);
                values.set(values.size() - 1, (values.getLast() + " " + line.strip()).strip());
            } else if (matcher.matches()) {
                trailerLines++;
                gitGenerated |= GIT_GENERATED.stream().anyMatch(line::startsWith);
                lastKey = matcher.group(1);
                String value = matcher.group(2).equals("#") ? "#" + matcher.group(3).strip() : matcher.group(3).strip();
                trailers.computeIfAbsent(lastKey, k -> new ArrayList<>()).add(value);
            } else {
                otherLines++;
                gitGenerated |= GIT_GENERATED.stream().anyMatch(line::startsWith);
                lastKey = null;
            }
        }
        boolean isTrailerBlock = trailerLines > 0
                && (otherLines == 0 || (gitGenerated && trailerLines * 3 >= otherLines));
        if (!isTrailerBlock) {
            return Map.of();
        }
        trailers.replaceAll((key, values) -> List.copyOf(values));
        return Collections.unmodifiableMap(trailers);
    }
}
