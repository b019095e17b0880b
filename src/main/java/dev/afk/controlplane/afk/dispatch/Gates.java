package dev.afk.controlplane.afk.dispatch;

/**
 * Everything outside the issue that can hold dispatch back, as read at one moment.
 *
 * @param workflowError why the repository's workflow file cannot be used, or null
 * @param activeRunInRepo another run of this repository is active (or its repo is held by one)
 * @param issuesWithOpenRun issues of this repository that already have an active run
 * @param executorHold why the executor takes no new work now (e.g. an unverified protocol version), or null
 * @param lastRunAt when the newest run of each issue of this repository was created
 */
public record Gates(
        boolean killSwitchEngaged,
        boolean enrolled,
        boolean paused,
        boolean frozen,
        String workflowError,
        boolean activeRunInRepo,
        java.util.Set<Integer> issuesWithOpenRun,
        int activeRunsGlobal,
        int globalCap,
        String readyLabel,
        String executorHold,
        java.util.Map<Integer, java.time.Instant> lastRunAt) {

    /** Gates with the executor accepting work and no earlier runs. */
    public Gates(boolean killSwitchEngaged, boolean enrolled, boolean paused, boolean frozen, String workflowError,
            boolean activeRunInRepo, java.util.Set<Integer> issuesWithOpenRun, int activeRunsGlobal, int globalCap,
            String readyLabel) {
        this(killSwitchEngaged, enrolled, paused, frozen, workflowError, activeRunInRepo, issuesWithOpenRun,
                activeRunsGlobal, globalCap, readyLabel, null, java.util.Map.of());
    }
}
