package dev.afk.controlplane.afk.judgment;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The difference of two class histograms ({@code GC.class_histogram}): where the added heap went, per agent. */
final class HeapHistogram {

    /** {@code   12:      3456      78901  java.lang.String (java.base@25)} */
    private static final Pattern LINE = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+).*$");

    private HeapHistogram() {}

    record Entry(long instances, long bytes) {}

    static Map<String, Entry> parse(String histogram) {
        Map<String, Entry> byClass = new HashMap<>();
        for (String line : histogram.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (m.matches()) {
                byClass.merge(m.group(3), new Entry(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))),
                        (a, b) -> new Entry(a.instances() + b.instances(), a.bytes() + b.bytes()));
            }
        }
        return byClass;
    }

    /** Bytes of live objects after, minus before. */
    static long totalDelta(String before, String after) {
        return parse(after).values().stream().mapToLong(Entry::bytes).sum() - parse(before).values().stream().mapToLong(Entry::bytes).sum();
    }

    /** A Markdown table of the {@code top} classes by bytes added, with instances and bytes per agent. */
    static String diff(String before, String after, int agents, int top) {
        Map<String, Entry> b = parse(before);
        Map<String, Entry> a = parse(after);
        Map<String, Entry> delta = new HashMap<>();
        a.forEach((cls, e) -> {
            Entry old = b.getOrDefault(cls, new Entry(0, 0));
            delta.put(cls, new Entry(e.instances() - old.instances(), e.bytes() - old.bytes()));
        });
        b.forEach((cls, e) -> delta.putIfAbsent(cls, new Entry(-e.instances(), -e.bytes())));
        long total = delta.values().stream().mapToLong(Entry::bytes).sum();
        StringBuilder out = new StringBuilder("Live heap after, minus before (class histograms after a full GC), "
                + agents + " agents: " + total + " bytes in all, " + total / Math.max(1, agents) + " per agent.\n\n"
                + "| class | instances added | bytes added | bytes per agent |\n|---|---|---|---|\n");
        delta.entrySet().stream()
                .sorted((x, y) -> Long.compare(y.getValue().bytes(), x.getValue().bytes()))
                .limit(top)
                .forEach(e -> out.append("| `").append(e.getKey()).append("` | ").append(e.getValue().instances())
                        .append(" | ").append(e.getValue().bytes()).append(" | ")
                        .append(String.format("%.1f", e.getValue().bytes() / (double) Math.max(1, agents))).append(" |\n"));
        return out.toString();
    }
}
