package dev.afk.controlplane.ci;

import dev.afk.controlplane.ci.CiVerdicts.Check;
import dev.afk.controlplane.common.RepoSlug;
import io.smallrye.mutiny.Uni;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The log of a failing check, for a diagnosis: its last {@code maxBytes} bytes (where a failure
 * usually is). Empty when the stage keeps no log we can read for that check.
 */
public interface CiLogs {

    Uni<Optional<String>> tail(RepoSlug repo, Check check, int maxBytes);

    /** What each CI adapter implements for its stage. */
    interface StageLogs {

        CiVerdicts.Stage stage();

        Uni<Optional<String>> tail(RepoSlug repo, Check check, int maxBytes);
    }

    /** Cuts text to its last {@code maxBytes} UTF-8 bytes, on a character boundary. */
    static String lastBytes(String text, int maxBytes) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return bytes.length <= maxBytes ? text : decodeTail(Arrays.copyOfRange(bytes, bytes.length - maxBytes, bytes.length));
    }

    /** The end of a UTF-8 text cut anywhere: decoded from its first whole character. */
    static String decodeTail(byte[] bytes) {
        int start = 0;
        while (start < bytes.length && (bytes[start] & 0xC0) == 0x80) {
            start++;
        }
        return new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8);
    }
}
