package dev.afk.controlplane.tracker.github;

import dev.afk.controlplane.common.RepoSlug;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * "Blocked by" references written in an issue's body: {@code Blocked by #12},
 * {@code blocked by acme/api#7}, or several at once ({@code Blocked by: #1, #2 and acme/web#3}).
 */
public final class BlockerReferences {

    /** An issue named by a reference. */
    public record Reference(RepoSlug repo, int number) {}

    private static final String REF = "(?:[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*)?#\\d+";
    private static final Pattern PHRASE = Pattern.compile(
            "(?i)\\bblocked\\s+by\\s*:?\\s*(" + REF + "(?:\\s*(?:,|&|\\band\\b)\\s*" + REF + ")*)");
    private static final Pattern ONE = Pattern.compile("(?:([A-Za-z0-9][A-Za-z0-9._-]*)/([A-Za-z0-9][A-Za-z0-9._-]*))?#(\\d+)");

    private BlockerReferences() {}

    /** References in {@code text}, in order of appearance, without repeats; {@code home} fills in bare {@code #N}. */
    public static List<Reference> in(String text, RepoSlug home) {
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        Set<Reference> found = new LinkedHashSet<>();
        Matcher phrase = PHRASE.matcher(text);
        while (phrase.find()) {
            Matcher one = ONE.matcher(phrase.group(1));
            while (one.find()) {
                reference(one, home).ifPresent(found::add);
            }
        }
        return List.copyOf(found);
    }

    private static Optional<Reference> reference(Matcher one, RepoSlug home) {
        try {
            RepoSlug repo = one.group(1) == null ? home : new RepoSlug(one.group(1), one.group(2));
            return Optional.of(new Reference(repo, Integer.parseInt(one.group(3))));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // not a valid repository or a number out of range
        }
    }
}
