package dev.afk.controlplane.afk.dispatch;

/** Whether one issue would be dispatched now, and why (not). */
public record DispatchVerdict(int issue, String title, Integer priority, boolean dispatch, Reason reason, String detail) {

    public enum Reason {
        DISPATCH,
        KILL_SWITCH_ENGAGED,
        EXECUTOR_HELD,
        NOT_ENROLLED,
        REPO_PAUSED,
        REPO_FROZEN,
        WORKFLOW_INVALID,
        ISSUE_CLOSED,
        NOT_LABELLED,
        NEVER_LABELLED,
        UNTRUSTED_LABELLER,
        STALE_LABEL,
        EDITED_AFTER_LABEL,
        BLOCKED,
        ISSUE_HAS_RUN,
        REPO_BUSY,
        GLOBAL_CAP_REACHED,
        ANOTHER_ISSUE_FIRST
    }
}
