package dev.afk.controlplane.agents;

import java.util.List;

/** Task statuses as stored. queued → running → success | failed | cancelled; cancelled also from queued. */
final class TaskStatus {
    static final String QUEUED = "queued";
    static final String RUNNING = "running";
    static final String SUCCESS = "success";
    static final String FAILED = "failed";
    static final String CANCELLED = "cancelled";
    static final List<String> ACTIVE = List.of(QUEUED, RUNNING);
    static final List<String> ALL = List.of(QUEUED, RUNNING, SUCCESS, FAILED, CANCELLED);

    private TaskStatus() {}
}
