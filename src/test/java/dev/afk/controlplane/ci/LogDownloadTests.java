package dev.afk.controlplane.ci;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The ring a downloaded log streams through: only its last bytes stay, whatever the chunks. */
class LogDownloadTests {

    private static String through(int capacity, String text, int chunk) {
        LogDownload.Ring ring = new LogDownload.Ring(capacity);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += chunk) {
            byte[] part = java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + chunk));
            ring.add(part);
        }
        return ring.text();
    }

    @Test
    void keepsTheLastBytesWhateverTheChunkSize() {
        String log = "line\n".repeat(1000) + "ERROR: the end";
        for (int chunk : new int[] {1, 7, 64, 100, 5000, 100_000}) {
            assertThat(through(100, log, chunk)).as("chunks of " + chunk).hasSize(100).endsWith("ERROR: the end")
                    .isEqualTo(log.substring(log.length() - 100));
        }
    }

    @Test
    void aShortLogIsKeptWhole() {
        assertThat(through(100, "FAILED", 3)).isEqualTo("FAILED");
        assertThat(through(100, "", 3)).isEmpty();
    }

    @Test
    void aCharacterCutInTwoAtTheStartIsDropped() {
        // "é" is two bytes: a bound of 5 bytes over "éé…" starts inside one.
        assertThat(through(5, "ééé", 2)).isEqualTo("éé");
        assertThat(CiLogs.lastBytes("ééé", 5)).isEqualTo("éé");
    }
}
