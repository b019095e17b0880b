package dev.afk.controlplane.agents.container.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.afk.controlplane.agents.container.LogLine;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LogStreamTests {

    private static void frame(ByteArrayOutputStream out, int stream, String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(new byte[] {(byte) stream, 0, 0, 0, (byte) (payload.length >>> 24), (byte) (payload.length >>> 16),
                (byte) (payload.length >>> 8), (byte) payload.length});
        out.writeBytes(payload);
    }

    @Test
    void splitsFramesIntoStdoutAndStderrLines() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        frame(body, 1, "one\ntwo\n");
        frame(body, 2, "bad news\n");
        frame(body, 1, "three\r\n");
        assertThat(LogStream.demultiplex(body.toByteArray())).containsExactly(
                new LogLine("stdout", "one"), new LogLine("stdout", "two"), new LogLine("stderr", "bad news"),
                new LogLine("stdout", "three"));
    }

    @Test
    void readsATtyStreamAsRawStdout() {
        assertThat(LogStream.demultiplex("plain\ntext\n".getBytes(StandardCharsets.UTF_8)))
                .containsExactly(new LogLine("stdout", "plain"), new LogLine("stdout", "text"));
        assertThat(LogStream.demultiplex(new byte[0])).isEmpty();
    }

    @Test
    void aTruncatedLastFrameKeepsWhatArrived() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        frame(body, 1, "whole\n");
        byte[] bytes = body.toByteArray();
        byte[] cut = new byte[bytes.length + 10];
        System.arraycopy(bytes, 0, cut, 0, bytes.length);
        cut[bytes.length] = 1;
        cut[bytes.length + 7] = 100;
        cut[bytes.length + 8] = 'h';
        cut[bytes.length + 9] = 'a';
        assertThat(LogStream.demultiplex(cut)).containsExactly(new LogLine("stdout", "whole"), new LogLine("stdout", "ha"));
    }
}
