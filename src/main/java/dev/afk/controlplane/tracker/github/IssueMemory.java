package dev.afk.controlplane.tracker.github;

import dev.afk.controlplane.common.RepoSlug;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What the adapter last saw of each issue, so an idle poll needs no per-issue round trip (ADR 0017):
 * <ul>
 * <li>a <b>stamp</b> per issue from the last listing or read: update time, state, labels and
 * dependency count. Labelling, closing, reopening, editing and dependencies all change it;</li>
 * <li>the issue's <b>timeline</b> as read at a stamp, reused while the stamp holds;</li>
 * <li>what the repository's <b>issue-events feed</b> showed of an issue, kept under its stamp like a
 * timeline (ADR 0017);</li>
 * <li>the numbers of each repository's <b>open issues</b> at the last listing, which answer "is this
 * blocker still open" while that listing is from the current poll, and which issues the feed is
 * read for.</li>
 * </ul>
 * Bounded: least recently used entries go.
 */
final class IssueMemory {

    /** A listing this young is the current poll's: the poller lists a repository before judging its issues. */
    static final Duration LISTING_FRESH = Duration.ofSeconds(10);
    /**
     * GitHub stamps updates to the second: a timeline read in the same second as the issue's last
     * update could miss a second change within that second, which would not move the stamp.
     */
    static final Duration STAMP_PRECISION = Duration.ofSeconds(1);
    private static final int ENTRIES = 20_000;

    private record Key(RepoSlug repo, int number) {}

    /** The parts of an issue that any change relevant to dispatch moves. */
    record Stamp(Instant updated, String state, Set<String> labels, Object dependencies, Object openDependencies, Instant created) {

        /** The listing says the issue has no GitHub dependencies at all; absent or unreadable counts as "may have". */
        boolean withoutDependencies() {
            return dependencies instanceof Number count && count.longValue() == 0;
        }
    }

    private record Timeline(Stamp stamp, List<JsonObject> events) {}

    /**
     * One issue's events as the feed showed them, newest first; {@code whole} when the pages read
     * reach back past the issue's creation (or the feed ended), so an event not among them never happened.
     */
    record FeedFacts(List<JsonObject> events, boolean whole) {}

    private record FeedFactsAt(Stamp stamp, FeedFacts facts) {}

    record Listing(Set<Integer> open, Instant asked) {}

    private final Map<Key, Stamp> stamps = lru(ENTRIES);
    private final Map<Key, Timeline> timelines = lru(ENTRIES);
    private final Map<Key, FeedFactsAt> feedFacts = lru(ENTRIES);
    private final Map<RepoSlug, Listing> listings = lru(ENTRIES / 10);

    /** Every open issue (and pull request) of the repository, as one listing asked at {@code asked} returned them. */
    void sawOpen(RepoSlug repo, List<JsonObject> items, Instant asked) {
        items.forEach(item -> saw(repo, item));
        Set<Integer> open = items.stream().map(item -> item.getInteger("number")).collect(Collectors.toUnmodifiableSet());
        listings.put(repo, new Listing(open, asked));
    }

    void saw(RepoSlug repo, JsonObject item) {
        stamps.put(new Key(repo, item.getInteger("number")), stampOf(item));
    }

    Optional<Stamp> stamp(RepoSlug repo, int number) {
        return Optional.ofNullable(stamps.get(new Key(repo, number)));
    }

    Optional<List<JsonObject>> timeline(RepoSlug repo, int number, Stamp stamp) {
        Timeline known = timelines.get(new Key(repo, number));
        return known != null && known.stamp().equals(stamp) ? Optional.of(known.events()) : Optional.empty();
    }

    /** Keeps a timeline read at {@code readAt} under the stamp seen before the read, unless the read was too close to it. */
    void keepTimeline(RepoSlug repo, int number, Stamp stamp, List<JsonObject> events, Instant readAt) {
        if (readAt.isBefore(stamp.updated().plus(STAMP_PRECISION))) {
            return;
        }
        timelines.put(new Key(repo, number), new Timeline(stamp, List.copyOf(events)));
    }

    Optional<FeedFacts> feedFacts(RepoSlug repo, int number, Stamp stamp) {
        FeedFactsAt known = feedFacts.get(new Key(repo, number));
        return known != null && known.stamp().equals(stamp) ? Optional.of(known.facts()) : Optional.empty();
    }

    /** Whether the adapter already knows the issue's labelling and closing at this stamp (a timeline or the feed's facts). */
    boolean knowsFacts(RepoSlug repo, int number, Stamp stamp) {
        return timeline(repo, number, stamp).isPresent() || feedFacts(repo, number, stamp).isPresent();
    }

    /** Keeps feed facts read at {@code readAt}, under the same rule as a timeline. */
    void keepFeedFacts(RepoSlug repo, int number, Stamp stamp, FeedFacts facts, Instant readAt) {
        if (readAt.isBefore(stamp.updated().plus(STAMP_PRECISION))) {
            return;
        }
        feedFacts.put(new Key(repo, number), new FeedFactsAt(stamp, facts));
    }

    /** The repository's listing if it is the current poll's. */
    Optional<Listing> freshListing(RepoSlug repo, Instant now) {
        Listing listing = listings.get(repo);
        return listing != null && !now.isAfter(listing.asked().plus(LISTING_FRESH)) ? Optional.of(listing) : Optional.empty();
    }

    /** Whether a listing of the current poll showed the issue open. */
    boolean listedOpen(RepoSlug repo, int number, Instant now) {
        Listing listing = listings.get(repo);
        return listing != null && !now.isAfter(listing.asked().plus(LISTING_FRESH)) && listing.open().contains(number);
    }

    static Stamp stampOf(JsonObject item) {
        Set<String> labels = item.getJsonArray("labels", new JsonArray()).stream()
                .map(label -> label instanceof JsonObject object ? object.getString("name") : String.valueOf(label))
                .map(String::toLowerCase)
                .collect(Collectors.toCollection(TreeSet::new));
        JsonObject dependencies = item.getJsonObject("issue_dependencies_summary", new JsonObject());
        return new Stamp(Instant.parse(item.getString("updated_at")), item.getString("state"), Set.copyOf(labels),
                dependencies.getValue("total_blocked_by"), dependencies.getValue("blocked_by"),
                // Unknown creation: the feed can never show the issue's whole history.
                item.getString("created_at") == null ? Instant.EPOCH : Instant.parse(item.getString("created_at")));
    }

    private static <K, V> Map<K, V> lru(int capacity) {
        return Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        });
    }
}
