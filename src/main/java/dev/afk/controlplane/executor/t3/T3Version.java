package dev.afk.controlplane.executor.t3;

import java.util.Arrays;

/** A T3 server version such as {@code 0.0.27}; pre-release suffixes are ignored. */
record T3Version(int major, int minor, int patch) implements Comparable<T3Version> {

    /** The first version with {@code /api/orchestration/shell} and {@code /threads/{id}}. */
    static final T3Version SHELL_ROUTES = new T3Version(0, 0, 29);

    static T3Version parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("no version");
        }
        String core = text.strip().replaceFirst("^v", "").split("[-+]", 2)[0];
        int[] parts = Arrays.stream(core.split("\\.")).mapToInt(Integer::parseInt).toArray();
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a version: " + text);
        }
        return new T3Version(parts[0], parts[1], parts[2]);
    }

    boolean within(T3Version min, T3Version max) {
        return compareTo(min) >= 0 && compareTo(max) <= 0;
    }

    @Override
    public int compareTo(T3Version other) {
        int c = Integer.compare(major, other.major);
        if (c == 0) {
            c = Integer.compare(minor, other.minor);
        }
        return c != 0 ? c : Integer.compare(patch, other.patch);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
