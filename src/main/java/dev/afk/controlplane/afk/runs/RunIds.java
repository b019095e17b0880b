package dev.afk.controlplane.afk.runs;

import dev.afk.controlplane.common.RunId;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Ids sent to the executor, derived from the run id and a purpose: minted before they are sent and
 * the same on every retry, so a repeated command is a no-op on the executor's side.
 */
public final class RunIds {

    private RunIds() {}

    public static String thread(RunId runId) {
        return derive(runId, "thread");
    }

    public static String command(RunId runId, String purpose) {
        return derive(runId, "command:" + purpose);
    }

    public static String message(RunId runId, String purpose) {
        return derive(runId, "message:" + purpose);
    }

    private static String derive(RunId runId, String purpose) {
        return UUID.nameUUIDFromBytes((runId + "/" + purpose).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
