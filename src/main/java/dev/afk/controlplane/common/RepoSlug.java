package dev.afk.controlplane.common;

import java.util.regex.Pattern;

/** A repository's {@code owner/name}, validated so it can be used in URLs and paths safely. */
public record RepoSlug(String owner, String name) {

    private static final Pattern PART = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9._-]{0,99})");

    public RepoSlug {
        if (owner == null || !PART.matcher(owner).matches() || name == null || !PART.matcher(name).matches()
                || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("not a repository slug: " + owner + "/" + name);
        }
    }

    /** Parses {@code owner/name}; throws IllegalArgumentException for anything else. */
    public static RepoSlug parse(String slug) {
        int slash = slug == null ? -1 : slug.indexOf('/');
        if (slash < 0 || slug.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("not a repository slug: " + slug);
        }
        return new RepoSlug(slug.substring(0, slash), slug.substring(slash + 1));
    }

    @Override
    public String toString() {
        return owner + "/" + name;
    }
}
