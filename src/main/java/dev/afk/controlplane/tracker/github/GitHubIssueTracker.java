package dev.afk.controlplane.tracker.github;

import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.github.Endpoint;
import dev.afk.controlplane.github.GitHubConnection;
import dev.afk.controlplane.github.GitHubHttp;
import dev.afk.controlplane.github.GitHubRateLimited;
import dev.afk.controlplane.github.GitHubResponse;
import dev.afk.controlplane.github.GitHubUnavailable;
import dev.afk.controlplane.tracker.Blocker;
import dev.afk.controlplane.tracker.Commit;
import dev.afk.controlplane.tracker.CommitTrailers;
import dev.afk.controlplane.tracker.Issue;
import dev.afk.controlplane.tracker.IssueTracker;
import dev.afk.controlplane.tracker.LabelEvent;
import dev.afk.controlplane.tracker.Permission;
import dev.afk.controlplane.tracker.PullRequest;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The issue tracker on GitHub's REST API. Every read is conditional, so an unchanged answer is free. */
@ApplicationScoped
public class GitHubIssueTracker implements IssueTracker {

    private static final String ISSUES = "/repos/{owner}/{repo}/issues";
    private static final String ISSUE = "/repos/{owner}/{repo}/issues/{issue_number}";
    private static final String TIMELINE = "/repos/{owner}/{repo}/issues/{issue_number}/timeline";
    private static final String EVENTS = "/repos/{owner}/{repo}/issues/events";
    /** At most this many pages of a repository's issue-events feed per poll; what they do not reach costs a timeline. */
    static final int FEED_PAGES = 10;
    private static final int FEED_READS = 64;
    private static final String LABELS = "/repos/{owner}/{repo}/issues/{issue_number}/labels";
    private static final String LABEL = "/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}";
    private static final String COMMENTS = "/repos/{owner}/{repo}/issues/{issue_number}/comments";
    private static final String COMMENT = "/repos/{owner}/{repo}/issues/comments/{comment_id}";
    private static final String PERMISSION = "/repos/{owner}/{repo}/collaborators/{username}/permission";
    private static final String COMMITS = "/repos/{owner}/{repo}/commits";
    private static final String CONTENTS = "/repos/{owner}/{repo}/contents/{+path}";
    private static final String PULLS = "/repos/{owner}/{repo}/pulls";
    private static final String PULL = "/repos/{owner}/{repo}/pulls/{pull_number}";
    private static final String MERGE = "/repos/{owner}/{repo}/pulls/{pull_number}/merge";
    private static final String PER_PAGE = "100";
    private static final int FILE_ENTRIES = 1_000;

    private final GitHubConnection connection;
    private final PermissionCache permissions;
    /** Files by repository and path, with the default-branch head they were read at; least recently used go. */
    private final Map<String, FileAtHead> files = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, FileAtHead> eldest) {
            return size() > FILE_ENTRIES;
        }
    });

    private record FileAtHead(String head, Optional<String> text) {}

    /** The pages of a repository's issue-events feed read for one listing, shared by the issues it answers for. */
    private record FeedRead(Instant listing, Uni<Feed> feed) {}

    /** Only the current poll's reads are wanted: the facts they give are kept in {@link IssueMemory}. */
    private final Map<RepoSlug, FeedRead> feeds = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<RepoSlug, FeedRead> eldest) {
            return size() > FEED_READS;
        }
    });

    private final Clock clock;
    /** What the last reads of each repository's open issues and timelines showed (ADR 0017). */
    private final IssueMemory memory;

    GitHubIssueTracker(GitHubConnection connection, GitHubTrackerConfig config, Clock clock) {
        this.connection = connection;
        this.clock = clock;
        this.permissions = new PermissionCache(config.trust().permissionEntries());
        this.memory = new IssueMemory();
    }

    /**
     * Lists every open issue of the repository and keeps those with the label. One conditional list
     * answers for the labelled issues, for the state of every blocker in the same repository and
     * for whether any of them changed: an idle repository costs one 304 (ADR 0017).
     */
    @Override
    public Uni<List<Issue>> openIssuesWithLabel(RepoSlug repo, String label) {
        return openIssues(repo).map(issues -> issues.stream()
                .filter(issue -> issue.labels().stream().anyMatch(label::equalsIgnoreCase))
                .toList());
    }

    @Override
    public Uni<List<Issue>> openIssues(RepoSlug repo) {
        Endpoint list = on(ISSUES, repo).withQuery("state", "open").withQuery("per_page", PER_PAGE);
        Instant asked = clock.instant();
        return http().flatMap(http -> http.getAllPages(list))
                .map(pages -> {
                    List<JsonObject> items = items(pages, list).toList();
                    memory.sawOpen(repo, items, asked);
                    return items.stream()
                            .filter(item -> !item.containsKey("pull_request"))
                            .map(item -> issueOf(repo, item))
                            .toList();
                });
    }

    @Override
    public Uni<Optional<Issue>> issue(RepoSlug repo, int number) {
        return http().flatMap(http -> http.get(on(ISSUE, repo, number)))
                .map(response -> {
                    if (isMissing(response)) {
                        return Optional.<Issue>empty();
                    }
                    JsonObject item = new JsonObject(ok(response, ISSUE).body());
                    memory.saw(repo, item);
                    return Optional.of(issueOf(repo, item));
                });
    }

    /**
     * From the issue's timeline as kept at its stamp, else from the repository's issue-events feed,
     * else from a timeline read: the feed answers when it shows a labelling, or all of the issue's events.
     */
    @Override
    public Uni<Optional<LabelEvent>> lastLabeled(RepoSlug repo, int number, String label) {
        if (knownTimeline(repo, number).isEmpty()) {
            return feedFacts(repo, number, Optional.of(label)).flatMap(facts -> {
                Optional<LabelEvent> fromFeed = facts.flatMap(f -> lastLabeled(f.events().stream(), label));
                if (fromFeed.isPresent() || facts.filter(IssueMemory.FeedFacts::whole).isPresent()) {
                    return Uni.createFrom().item(fromFeed);
                }
                return timeline(repo, number).map(events -> lastLabeled(events, label));
            });
        }
        return timeline(repo, number).map(events -> lastLabeled(events, label));
    }

    /** The newest labelling with {@code label}; among events of one instant, the one listed last in time order. */
    private static Optional<LabelEvent> lastLabeled(Stream<JsonObject> events, String label) {
        return events
                .filter(event -> "labeled".equals(event.getString("event")))
                .filter(event -> label.equalsIgnoreCase(event.getJsonObject("label", new JsonObject()).getString("name")))
                .filter(event -> event.getJsonObject("actor") != null)
                .map(event -> new LabelEvent(label, event.getJsonObject("actor").getString("login"), Instant.parse(event.getString("created_at"))))
                .reduce((earlier, later) -> later.at().isBefore(earlier.at()) ? earlier : later);
    }

    /** Like {@link #lastLabeled}: the feed answers when it shows a close, or all of the issue's events. */
    @Override
    public Uni<Optional<Instant>> lastClosed(RepoSlug repo, int number) {
        if (knownTimeline(repo, number).isEmpty()) {
            return feedFacts(repo, number, Optional.empty()).flatMap(facts -> {
                Optional<Instant> fromFeed = facts.flatMap(f -> lastClosed(f.events().stream()));
                if (fromFeed.isPresent() || facts.filter(IssueMemory.FeedFacts::whole).isPresent()) {
                    return Uni.createFrom().item(fromFeed);
                }
                return timeline(repo, number).map(GitHubIssueTracker::lastClosed);
            });
        }
        return timeline(repo, number).map(GitHubIssueTracker::lastClosed);
    }

    private static Optional<Instant> lastClosed(Stream<JsonObject> events) {
        return events
                .filter(event -> "closed".equals(event.getString("event")))
                .map(event -> Instant.parse(event.getString("created_at")))
                .max(Instant::compareTo);
    }

    /** Always asks GitHub (a conditional read: free while unchanged), so a changed permission is seen at once. */
    @Override
    public Uni<Permission> permission(RepoSlug repo, String user) {
        return http().flatMap(http -> http.get(on(PERMISSION, repo, user)))
                .map(response -> response.status() == 404 ? Permission.NONE
                        : permissionOf(new JsonObject(ok(response, PERMISSION).body()).getString("permission")))
                .invoke(permission -> permissions.put(repo, user, permission));
    }

    @Override
    public Optional<Permission> knownPermission(RepoSlug repo, String user) {
        return permissions.get(repo, user);
    }

    /** GitHub folds maintain into write and triage into read; both spellings are accepted. */
    static Permission permissionOf(String permission) {
        return switch (permission == null ? "" : permission.toLowerCase()) {
            case "admin" -> Permission.ADMIN;
            case "write", "maintain" -> Permission.WRITE;
            case "read", "triage" -> Permission.READ;
            default -> Permission.NONE;
        };
    }

    @Override
    public Uni<List<Blocker>> blockers(RepoSlug repo, Issue issue) {
        return dependencies(repo, issue.number())
                .map(fromTimeline -> {
                    Set<BlockerReferences.Reference> all = new LinkedHashSet<>(BlockerReferences.in(issue.body(), repo));
                    all.addAll(fromTimeline);
                    all.remove(new BlockerReferences.Reference(repo, issue.number()));
                    return List.copyOf(all);
                })
                .flatMap(references -> references.isEmpty() ? Uni.createFrom().item(List.<Blocker>of())
                        : Multi.createFrom().iterable(references)
                                .onItem().transformToUniAndConcatenate(this::blocker)
                                .collect().asList());
    }

    /**
     * An unreadable blocker counts as open: work is never released on a guess. A blocker listed
     * among its repository's open issues by a listing of this poll is open without another read.
     */
    private Uni<Blocker> blocker(BlockerReferences.Reference reference) {
        if (memory.listedOpen(reference.repo(), reference.number(), clock.instant())) {
            return Uni.createFrom().item(new Blocker(reference.repo(), reference.number(), true));
        }
        return issue(reference.repo(), reference.number())
                .map(found -> new Blocker(reference.repo(), reference.number(), found.map(Issue::open).orElse(true)));
    }

    /**
     * GitHub's own issue dependencies, as the timeline records them being added and removed; none
     * without a read when the listing's dependency summary counts none.
     */
    private Uni<List<BlockerReferences.Reference>> dependencies(RepoSlug repo, int number) {
        if (memory.stamp(repo, number).filter(IssueMemory.Stamp::withoutDependencies).isPresent()) {
            return Uni.createFrom().item(List.of());
        }
        return timeline(repo, number).map(events -> {
            Set<BlockerReferences.Reference> current = new LinkedHashSet<>();
            events.forEach(event -> {
                String kind = event.getString("event", "");
                JsonObject blocker = event.getJsonObject("blocked_by");
                if (blocker == null || !kind.startsWith("blocked_by_")) {
                    return;
                }
                RepoSlug blockerRepo = Optional.ofNullable(blocker.getJsonObject("repository"))
                        .map(r -> r.getString("full_name")).map(RepoSlug::parse).orElse(repo);
                BlockerReferences.Reference reference = new BlockerReferences.Reference(blockerRepo, blocker.getInteger("number"));
                if (kind.equals("blocked_by_added")) {
                    current.add(reference);
                } else if (kind.equals("blocked_by_removed")) {
                    current.remove(reference);
                }
            });
            return List.copyOf(current);
        });
    }

    @Override
    public Uni<Void> addLabels(RepoSlug repo, int number, Set<String> labels) {
        if (labels.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String body = new JsonObject().put("labels", new JsonArray(List.copyOf(labels))).encode();
        return http().flatMap(http -> http.write(HttpMethod.POST, on(LABELS, repo, number), body, true))
                .invoke(response -> ok(response, LABELS))
                .replaceWithVoid();
    }

    @Override
    public Uni<Void> removeLabel(RepoSlug repo, int number, String label) {
        return http().flatMap(http -> http.write(HttpMethod.DELETE, on(LABEL, repo, number, label), null, true))
                .invoke(response -> {
                    if (response.status() != 404) {
                        ok(response, LABEL);
                    }
                })
                .replaceWithVoid();
    }

    @Override
    public Uni<Long> upsertComment(RepoSlug repo, int number, Optional<Long> existing, String body) {
        String json = new JsonObject().put("body", body).encode();
        if (existing.isEmpty()) {
            return createComment(repo, number, json);
        }
        Endpoint comment = on(COMMENT, repo, existing.get());
        return http().flatMap(http -> http.write(HttpMethod.PATCH, comment, json, true))
                .flatMap(response -> response.status() == 404
                        ? createComment(repo, number, json) // deleted by someone: start a new one
                        : Uni.createFrom().item(new JsonObject(ok(response, COMMENT).body()).getLong("id")));
    }

    /** Lists the issue's comments, oldest first (GitHub orders them by ascending id), every page. */
    @Override
    public Uni<Optional<Long>> findComment(RepoSlug repo, int number, String marker) {
        Endpoint list = on(COMMENTS, repo, number).withQuery("per_page", PER_PAGE);
        return http().flatMap(http -> http.getAllPages(list))
                .map(pages -> isMissing(pages.getFirst()) ? Optional.<Long>empty()
                        : items(pages, list)
                                .filter(comment -> comment.getString("body", "").contains(marker))
                                .map(comment -> comment.getLong("id"))
                                .findFirst());
    }

    private Uni<Long> createComment(RepoSlug repo, int number, String json) {
        // Not repeated after an unclear failure: a second POST would leave two comments.
        return http().flatMap(http -> http.write(HttpMethod.POST, on(COMMENTS, repo, number), json, false))
                .map(response -> new JsonObject(ok(response, COMMENTS).body()).getLong("id"));
    }

    @Override
    public Uni<Void> closeAsCompleted(RepoSlug repo, int number) {
        String body = new JsonObject().put("state", "closed").put("state_reason", "completed").encode();
        return http().flatMap(http -> http.write(HttpMethod.PATCH, on(ISSUE, repo, number), body, true))
                .invoke(response -> ok(response, ISSUE))
                .replaceWithVoid();
    }

    @Override
    public Uni<List<Commit>> commitsSince(RepoSlug repo, String branch, Instant since) {
        Endpoint list = on(COMMITS, repo).withQuery("sha", branch).withQuery("since", since.toString()).withQuery("per_page", PER_PAGE);
        return http().flatMap(http -> http.getAllPages(list))
                // 409: an empty repository; 404: a branch not pushed yet (a pull-request run's, before the agent pushes).
                .map(pages -> pages.getFirst().status() == 409 || pages.getFirst().status() == 404 ? List.<Commit>of()
                        : items(pages, list).map(GitHubIssueTracker::commitOf).toList());
    }

    /**
     * Read only when the default branch's head has moved since the last read: the head is a
     * conditional read (free while unchanged) and a file's text at one commit never changes. A
     * missing file answers 404 without a validator, so reading it every poll tick would be
     * charged every time.
     */
    @Override
    public Uni<Optional<String>> fileOnDefaultBranch(RepoSlug repo, String path) {
        String key = repo + ":" + path;
        return defaultHead(repo).flatMap(head -> {
            FileAtHead known = files.get(key);
            if (head.isPresent() && known != null && known.head().equals(head.get())) {
                return Uni.createFrom().item(known.text());
            }
            return file(repo, path, head).invoke(text -> head.ifPresent(sha -> files.put(key, new FileAtHead(sha, text))));
        });
    }

    /** The newest commit of the default branch; empty for an empty (409) or missing repository. */
    private Uni<Optional<String>> defaultHead(RepoSlug repo) {
        return http().flatMap(http -> http.get(on(COMMITS, repo).withQuery("per_page", "1")))
                .map(response -> {
                    if (response.status() != 200) {
                        return Optional.empty();
                    }
                    JsonArray commits = new JsonArray(response.body());
                    return commits.isEmpty() ? Optional.empty() : Optional.ofNullable(commits.getJsonObject(0).getString("sha"));
                });
    }

    private Uni<Optional<String>> file(RepoSlug repo, String path, Optional<String> head) {
        Endpoint contents = head.map(sha -> on(CONTENTS, repo, path).withQuery("ref", sha)).orElseGet(() -> on(CONTENTS, repo, path));
        return http().flatMap(http -> http.get(contents))
                .map(response -> {
                    if (isMissing(response)) {
                        return Optional.empty();
                    }
                    JsonObject file = new JsonObject(ok(response, CONTENTS).body());
                    if (!"file".equals(file.getString("type")) || !"base64".equals(file.getString("encoding"))) {
                        return Optional.empty();
                    }
                    byte[] bytes = Base64.getMimeDecoder().decode(file.getString("content", ""));
                    return Optional.of(new String(bytes, StandardCharsets.UTF_8));
                });
    }

    @Override
    public Uni<PullRequest> openPullRequest(RepoSlug repo, String head, String base, String title, String body) {
        return openFrom(repo, head).flatMap(open -> open.isPresent() ? Uni.createFrom().item(open.get())
                : createPull(repo, head, base, title, body));
    }

    private Uni<PullRequest> createPull(RepoSlug repo, String head, String base, String title, String body) {
        String json = new JsonObject().put("title", title).put("head", head).put("base", base).put("body", body)
                .put("maintainer_can_modify", false).encode();
        // Not re-sent after an unclear failure; the next attempt finds the pull request by its head instead.
        return http().flatMap(http -> http.write(HttpMethod.POST, on(PULLS, repo), json, false))
                .flatMap(response -> response.status() == 422
                        // Opened meanwhile (another replica, or our own lost answer): take that one.
                        ? openFrom(repo, head).map(open -> open.orElseThrow(() -> new GitHubUnavailable(422,
                                "GitHub refused to open a pull request from " + head + ": " + message(response))))
                        : Uni.createFrom().item(pullOf(new JsonObject(ok(response, PULLS).body()))));
    }

    private Uni<Optional<PullRequest>> openFrom(RepoSlug repo, String head) {
        return pulls(repo, head, "open").map(pulls -> pulls.stream().findFirst());
    }

    @Override
    public Uni<Optional<PullRequest>> pullRequest(RepoSlug repo, String head) {
        return pulls(repo, head, "all").map(pulls -> pulls.stream().max(java.util.Comparator.comparingInt(PullRequest::number)));
    }

    private Uni<List<PullRequest>> pulls(RepoSlug repo, String head, String state) {
        Endpoint list = on(PULLS, repo).withQuery("head", repo.owner() + ":" + head).withQuery("state", state)
                .withQuery("per_page", PER_PAGE);
        return http().flatMap(http -> http.getAllPages(list))
                .map(pages -> items(pages, list).map(GitHubIssueTracker::pullOf).toList());
    }

    @Override
    public Uni<PullRequest.MergeResult> merge(RepoSlug repo, int number, String headSha, PullRequest.MergeMethod method) {
        String json = new JsonObject().put("sha", headSha).put("merge_method", method.name().toLowerCase(java.util.Locale.ROOT)).encode();
        return http().flatMap(http -> http.write(HttpMethod.PUT, on(MERGE, repo, number), json, false))
                .map(response -> switch (response.status()) {
                    case 405 -> new PullRequest.MergeResult(PullRequest.MergeResult.Outcome.NOT_MERGEABLE, null, message(response));
                    case 409 -> new PullRequest.MergeResult(PullRequest.MergeResult.Outcome.HEAD_MOVED, null, message(response));
                    default -> new PullRequest.MergeResult(PullRequest.MergeResult.Outcome.MERGED,
                            new JsonObject(ok(response, MERGE).body()).getString("sha"), null);
                });
    }

    @Override
    public Uni<Void> closePullRequest(RepoSlug repo, int number) {
        String json = new JsonObject().put("state", "closed").encode();
        return http().flatMap(http -> http.write(HttpMethod.PATCH, on(PULL, repo, number), json, true))
                .invoke(response -> ok(response, PULL))
                .replaceWithVoid();
    }

    static PullRequest pullOf(JsonObject item) {
        PullRequest.State state = "open".equals(item.getString("state")) ? PullRequest.State.OPEN
                : item.getString("merged_at") != null ? PullRequest.State.MERGED : PullRequest.State.CLOSED;
        JsonObject head = item.getJsonObject("head", new JsonObject());
        return new PullRequest(item.getInteger("number"), head.getString("ref"), head.getString("sha"), state,
                item.getString("html_url"), state == PullRequest.State.MERGED ? item.getString("merge_commit_sha") : null);
    }

    /** GitHub's own words for a refusal (a message, and for 422 the first error's), for the run's timeline. */
    private static String message(GitHubResponse response) {
        try {
            JsonObject body = new JsonObject(response.body());
            JsonArray errors = body.getJsonArray("errors", new JsonArray());
            String detail = errors.isEmpty() || !(errors.getValue(0) instanceof JsonObject e) ? null : e.getString("message");
            return detail == null ? body.getString("message", "status " + response.status()) : detail;
        } catch (RuntimeException notJson) {
            return "status " + response.status();
        }
    }

    /**
     * The issue's timeline, read again only when the issue's update time (or its dependency count)
     * moved since the last read: labelling, closing, reopening and dependencies all move it.
     */
    private Uni<Stream<JsonObject>> timeline(RepoSlug repo, int number) {
        Optional<IssueMemory.Stamp> stamp = memory.stamp(repo, number);
        Optional<List<JsonObject>> known = stamp.flatMap(s -> memory.timeline(repo, number, s));
        if (known.isPresent()) {
            return Uni.createFrom().item(known.get().stream());
        }
        Endpoint timeline = on(TIMELINE, repo, number).withQuery("per_page", PER_PAGE);
        return http().flatMap(http -> http.getAllPages(timeline))
                .map(pages -> {
                    List<JsonObject> events = isMissing(pages.getFirst()) ? List.of() : items(pages, timeline).toList();
                    stamp.ifPresent(s -> memory.keepTimeline(repo, number, s, events, clock.instant()));
                    return events.stream();
                });
    }

    private Optional<List<JsonObject>> knownTimeline(RepoSlug repo, int number) {
        return memory.stamp(repo, number).flatMap(stamp -> memory.timeline(repo, number, stamp));
    }

    /**
     * What the repository's issue-events feed shows of an issue listed by the current poll: kept at
     * its stamp, or from the feed read for this listing, reading it first if nobody has. Empty for
     * an issue outside the current listing, or when the feed could not be read (a timeline answers).
     */
    private Uni<Optional<IssueMemory.FeedFacts>> feedFacts(RepoSlug repo, int number, Optional<String> label) {
        Instant now = clock.instant();
        Optional<IssueMemory.Stamp> stamp = memory.stamp(repo, number);
        Optional<IssueMemory.Listing> listing = memory.freshListing(repo, now).filter(l -> l.open().contains(number));
        if (stamp.isEmpty() || listing.isEmpty()) {
            return Uni.createFrom().item(Optional.empty());
        }
        Optional<IssueMemory.FeedFacts> kept = memory.feedFacts(repo, number, stamp.get());
        if (kept.isPresent()) {
            return Uni.createFrom().item(kept);
        }
        Uni<Feed> feed;
        synchronized (feeds) {
            FeedRead read = feeds.get(repo);
            if (read == null || !read.listing().equals(listing.get().asked())) {
                read = new FeedRead(listing.get().asked(), readFeed(repo, listing.get(), label).memoize().indefinitely());
                feeds.put(repo, read);
            }
            feed = read.feed();
        }
        return feed.map(f -> Optional.of(f.factsOf(number, stamp.get().created())));
    }

    /**
     * Reads the feed, newest first, until every listed issue (with {@code label}, if given) whose
     * facts are not known at its stamp shows its last labelling and its last close (or the pages
     * reach back past its creation), the feed ends, or {@link #FEED_PAGES} pages are read. Keeps
     * what it learnt.
     */
    private Uni<Feed> readFeed(RepoSlug repo, IssueMemory.Listing listing, Optional<String> label) {
        Map<Integer, IssueMemory.Stamp> wanted = new LinkedHashMap<>();
        listing.open().forEach(number -> memory.stamp(repo, number)
                .filter(stamp -> label.isEmpty() || stamp.labels().contains(label.get().toLowerCase(java.util.Locale.ROOT)))
                .filter(stamp -> !memory.knowsFacts(repo, number, stamp))
                .ifPresent(stamp -> wanted.put(number, stamp)));
        Endpoint events = on(EVENTS, repo).withQuery("per_page", PER_PAGE);
        return http().flatMap(http -> http.getPagesWhile(events, FEED_PAGES,
                        pages -> !Feed.of(pages, events).answersFor(wanted, label)))
                .map(pages -> {
                    Feed feed = Feed.of(pages, events);
                    Instant readAt = clock.instant();
                    wanted.forEach((number, stamp) -> memory.keepFeedFacts(repo, number, stamp, feed.factsOf(number, stamp.created()), readAt));
                    return feed;
                })
                // Unreadable: every issue falls back to its own timeline, which fails or answers on its own.
                .onFailure(e -> e instanceof GitHubUnavailable && !(e instanceof GitHubRateLimited)).recoverWithItem(Feed.UNREAD);
    }

    /** Pages of the feed read so far: each issue's events newest first, how far back they reach, whether the feed ended. */
    private record Feed(Map<Integer, List<JsonObject>> byIssue, Optional<Instant> oldest, boolean ended) {

        static final Feed UNREAD = new Feed(Map.of(), Optional.empty(), false);

        static Feed of(List<GitHubResponse> pages, Endpoint endpoint) {
            Map<Integer, List<JsonObject>> byIssue = new LinkedHashMap<>();
            Instant oldest = null;
            for (JsonObject event : items(pages, endpoint).toList()) {
                JsonObject issue = event.getJsonObject("issue");
                Instant at = Instant.parse(event.getString("created_at"));
                oldest = oldest == null || at.isBefore(oldest) ? at : oldest;
                if (issue != null && issue.getInteger("number") != null) {
                    byIssue.computeIfAbsent(issue.getInteger("number"), n -> new ArrayList<>()).add(slim(event));
                }
            }
            return new Feed(byIssue, Optional.ofNullable(oldest), pages.getLast().nextPage().isEmpty());
        }

        /** What the facts need of an event, without the issue it carries (a whole issue per event). */
        private static JsonObject slim(JsonObject event) {
            JsonObject slim = new JsonObject().put("event", event.getString("event")).put("created_at", event.getString("created_at"));
            JsonObject actor = event.getJsonObject("actor");
            if (actor != null) {
                slim.put("actor", new JsonObject().put("login", actor.getString("login")));
            }
            JsonObject label = event.getJsonObject("label");
            if (label != null) {
                slim.put("label", new JsonObject().put("name", label.getString("name")));
            }
            return slim;
        }

        /** The issue's events, oldest first as a timeline lists them; whole when they reach back past its creation. */
        IssueMemory.FeedFacts factsOf(int number, Instant created) {
            List<JsonObject> events = new ArrayList<>(byIssue.getOrDefault(number, List.of()));
            Collections.reverse(events);
            return new IssueMemory.FeedFacts(List.copyOf(events), ended || oldest.filter(at -> at.isBefore(created)).isPresent());
        }

        boolean answersFor(Map<Integer, IssueMemory.Stamp> wanted, Optional<String> label) {
            return wanted.entrySet().stream().allMatch(entry -> {
                IssueMemory.FeedFacts facts = factsOf(entry.getKey(), entry.getValue().created());
                return facts.whole() || label.map(l -> lastLabeled(facts.events().stream(), l).isPresent()).orElse(true)
                        && lastClosed(facts.events().stream()).isPresent();
            });
        }
    }

    private Uni<GitHubHttp> http() {
        return Uni.createFrom().item(connection::http);
    }

    static Issue issueOf(RepoSlug repo, JsonObject item) {
        Set<String> labels = item.getJsonArray("labels", new JsonArray()).stream()
                .map(label -> label instanceof JsonObject object ? object.getString("name") : String.valueOf(label))
                .collect(Collectors.toCollection(LinkedHashSet::new));
        return new Issue(repo, item.getInteger("number"), item.getString("title"), item.getString("body", ""),
                "open".equals(item.getString("state")), Set.copyOf(labels), Instant.parse(item.getString("updated_at")));
    }

    static Commit commitOf(JsonObject item) {
        JsonObject commit = item.getJsonObject("commit");
        String message = commit.getString("message", "");
        Instant at = Stream.of(commit.getJsonObject("committer"), commit.getJsonObject("author"))
                .filter(person -> person != null && person.getString("date") != null)
                .map(person -> Instant.parse(person.getString("date")))
                .findFirst().orElse(Instant.EPOCH);
        return new Commit(item.getString("sha"), message, CommitTrailers.parse(message), at);
    }

    private static Stream<JsonObject> items(List<GitHubResponse> pages, Endpoint endpoint) {
        List<JsonObject> all = new ArrayList<>();
        for (GitHubResponse page : pages) {
            new JsonArray(ok(page, endpoint.template()).body()).forEach(item -> all.add((JsonObject) item));
        }
        return all.stream();
    }

    private static boolean isMissing(GitHubResponse response) {
        return response.status() == 404 || response.status() == 410;
    }

    private static GitHubResponse ok(GitHubResponse response, String template) {
        if (!response.ok()) {
            throw new GitHubUnavailable(response.status(), "GitHub answered " + response.status() + " to " + template);
        }
        return response;
    }

    private static Endpoint on(String template, RepoSlug repo, Object... more) {
        List<String> params = new ArrayList<>(List.of(repo.owner(), repo.name()));
        for (Object value : more) {
            params.add(String.valueOf(value));
        }
        return new Endpoint(template, params, Map.of());
    }
}
