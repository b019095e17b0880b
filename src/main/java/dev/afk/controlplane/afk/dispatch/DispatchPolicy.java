package dev.afk.controlplane.afk.dispatch;

import dev.afk.controlplane.afk.dispatch.DispatchVerdict.Reason;
import dev.afk.controlplane.tracker.Blocker;
import dev.afk.controlplane.tracker.Issue;
import dev.afk.controlplane.tracker.LabelEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which ready issue of a repository may be dispatched now. Pure: the facts come in, a verdict with
 * its reason goes out, for the poller and the dry run alike.
 */
public final class DispatchPolicy {

    private static final Pattern PRIORITY = Pattern.compile("priority:\\s*(\\d{1,6})");

    /** {@code priority:N} ascending, unlabelled last (G13), then issue number. */
    public static final Comparator<Issue> ORDER = Comparator
            .comparingInt((Issue i) -> priority(i).orElse(Integer.MAX_VALUE))
            .thenComparingInt(Issue::number);

    /**
     * How much later than the label event the issue's update time may be and still be the label
     * itself: GitHub stamps both to the second, so one stamp may fall a second after the other.
     */
    static final Duration LABEL_STAMP_TOLERANCE = Duration.ofSeconds(1);

    private DispatchPolicy() {}

    /** The lowest {@code priority:N} label of the issue, if any. */
    public static OptionalInt priority(Issue issue) {
        return issue.labels().stream()
                .map(PRIORITY::matcher)
                .filter(Matcher::matches)
                .mapToInt(m -> Integer.parseInt(m.group(1)))
                .min();
    }

    /** Holds that concern the repository or the whole system: checked before any tracker call. */
    public static Optional<Reason> repoHold(Gates gates) {
        if (gates.killSwitchEngaged()) {
            return Optional.of(Reason.KILL_SWITCH_ENGAGED);
        }
        if (gates.executorHold() != null) {
            return Optional.of(Reason.EXECUTOR_HELD);
        }
        if (!gates.enrolled()) {
            return Optional.of(Reason.NOT_ENROLLED);
        }
        if (gates.paused()) {
            return Optional.of(Reason.REPO_PAUSED);
        }
        if (gates.frozen()) {
            return Optional.of(Reason.REPO_FROZEN);
        }
        if (gates.workflowError() != null) {
            return Optional.of(Reason.WORKFLOW_INVALID);
        }
        return Optional.empty();
    }

    /** One issue on its own merits, then the repository's and the system's capacity. */
    public static DispatchVerdict evaluate(Gates gates, Candidate candidate) {
        Issue issue = candidate.issue();
        Optional<Reason> hold = repoHold(gates);
        if (hold.isPresent()) {
            return verdict(issue, hold.get(), holdDetail(hold.get(), gates));
        }
        if (!issue.open()) {
            return verdict(issue, Reason.ISSUE_CLOSED, "the issue is closed");
        }
        if (!issue.labels().contains(gates.readyLabel())) {
            return verdict(issue, Reason.NOT_LABELLED, "no " + gates.readyLabel() + " label");
        }
        if (candidate.lastLabelled().isEmpty()) {
            return verdict(issue, Reason.NEVER_LABELLED, "no timeline event shows who applied " + gates.readyLabel());
        }
        String actor = candidate.lastLabelled().get().actor();
        if (!candidate.labellerPermission().mayRelease()) {
            return verdict(issue, Reason.UNTRUSTED_LABELLER,
                    actor + " applied " + gates.readyLabel() + " last and has " + candidate.labellerPermission()
                            + " permission; write or admin is required");
        }
        String again = "; a user with write access must apply " + gates.readyLabel() + " again";
        Instant labelledAt = candidate.lastLabelled().get().at();
        Optional<Instant> closed = candidate.lastClosed().filter(at -> !labelledAt.isAfter(at));
        if (closed.isPresent()) {
            return verdict(issue, Reason.STALE_LABEL, actor + " applied " + gates.readyLabel() + " at " + labelledAt
                    + ", before the issue was closed at " + closed.get() + again);
        }
        Optional<String> edited = editedSinceRelease(gates, candidate);
        if (edited.isPresent()) {
            return verdict(issue, Reason.EDITED_AFTER_LABEL, edited.get());
        }
        List<Blocker> open = candidate.blockers().stream().filter(Blocker::open).toList();
        if (!open.isEmpty()) {
            return verdict(issue, Reason.BLOCKED, "blocked by " + open.stream()
                    .map(b -> b.repo() + "#" + b.number()).collect(Collectors.joining(", ")));
        }
        if (gates.issuesWithOpenRun().contains(issue.number())) {
            return verdict(issue, Reason.ISSUE_HAS_RUN, "the issue already has an open run");
        }
        Instant lastRun = gates.lastRunAt().get(issue.number());
        if (lastRun != null && !labelledAt.isAfter(lastRun)) {
            return verdict(issue, Reason.STALE_LABEL, actor + " applied " + gates.readyLabel() + " at " + labelledAt
                    + ", before the issue's last run started at " + lastRun + again);
        }
        if (gates.activeRunInRepo()) {
            return verdict(issue, Reason.REPO_BUSY, "another run of this repository is active (serial per repository)");
        }
        if (gates.activeRunsGlobal() >= gates.globalCap()) {
            return verdict(issue, Reason.GLOBAL_CAP_REACHED,
                    gates.activeRunsGlobal() + " runs active, the global cap is " + gates.globalCap());
        }
        return new DispatchVerdict(issue.number(), issue.title(), boxed(priority(issue)), true, Reason.DISPATCH,
                "released by " + actor);
    }

    /**
     * What a trusted label event released, recorded the first time the pipeline sees it: the
     * content's hash if the issue has not changed since the label, else a pin without a hash (what
     * was released is unknown). Empty when there is nothing to record: already pinned, or no
     * trusted label event.
     */
    public static Optional<Pin> firstSight(Candidate candidate) {
        if (candidate.pin().isPresent() || candidate.lastLabelled().isEmpty() || !candidate.labellerPermission().mayRelease()) {
            return Optional.empty();
        }
        LabelEvent label = candidate.lastLabelled().get();
        Issue issue = candidate.issue();
        boolean unchanged = issue.updatedAt() != null && !issue.updatedAt().isAfter(label.at().plus(LABEL_STAMP_TOLERANCE));
        return Optional.of(new Pin(label.at(), unchanged ? contentHash(issue) : null));
    }

    /** Why the issue's title or body is not what the trusted label released, if it is not. */
    private static Optional<String> editedSinceRelease(Gates gates, Candidate candidate) {
        LabelEvent label = candidate.lastLabelled().orElseThrow();
        Pin pin = candidate.pin().or(() -> firstSight(candidate)).orElseThrow();
        String again = "; a user with write access must apply " + gates.readyLabel() + " again to release the current text";
        if (pin.contentSha256() == null) {
            return Optional.of("the title or body changed after " + label.actor() + " applied " + gates.readyLabel() + " at "
                    + label.at() + " and before the pipeline saw it, so what was released is unknown" + again);
        }
        if (!pin.contentSha256().equals(contentHash(candidate.issue()))) {
            return Optional.of("the title or body changed after " + label.actor() + " applied " + gates.readyLabel() + " at "
                    + label.at() + again);
        }
        return Optional.empty();
    }

    /** SHA-256 of the title and the body: what a label releases. */
    public static String contentHash(Issue issue) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(String.valueOf(issue.title()).getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(String.valueOf(issue.body()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /**
     * Every candidate in dispatch order with its verdict; at most the first eligible one is
     * dispatched, the other eligible ones wait their turn.
     */
    public static List<DispatchVerdict> plan(Gates gates, List<Candidate> candidates) {
        List<Candidate> ordered = candidates.stream().sorted(Comparator.comparing(Candidate::issue, ORDER)).toList();
        List<DispatchVerdict> verdicts = new ArrayList<>();
        boolean chosen = false;
        for (Candidate candidate : ordered) {
            DispatchVerdict v = evaluate(gates, candidate);
            if (v.dispatch() && chosen) {
                v = verdict(candidate.issue(), Reason.ANOTHER_ISSUE_FIRST, "an issue earlier in the order goes first");
            }
            chosen |= v.dispatch();
            verdicts.add(v);
        }
        return verdicts;
    }

    private static String holdDetail(Reason reason, Gates gates) {
        return switch (reason) {
            case KILL_SWITCH_ENGAGED -> "the global kill switch is engaged";
            case EXECUTOR_HELD -> "the executor takes no new work: " + gates.executorHold();
            case NOT_ENROLLED -> "the repository is not enrolled";
            case REPO_PAUSED -> "the repository is paused";
            case REPO_FROZEN -> "the repository is frozen until an admin unfreezes it";
            case WORKFLOW_INVALID -> "the workflow file cannot be used: " + gates.workflowError();
            default -> reason.name();
        };
    }

    private static DispatchVerdict verdict(Issue issue, Reason reason, String detail) {
        return new DispatchVerdict(issue.number(), issue.title(), boxed(priority(issue)), false, reason, detail);
    }

    private static Integer boxed(OptionalInt value) {
        return value.isPresent() ? value.getAsInt() : null;
    }
}
