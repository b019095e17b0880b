package dev.afk.controlplane.agents.container.docker;

import dev.afk.controlplane.agents.container.LogLine;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Docker's log stream. Without a TTY every frame has an 8-byte header: stream type (1 stdout,
 * 2 stderr), three zero bytes, then the payload size (big-endian uint32). With a TTY the stream
 * is raw text. A body whose first header is not valid is read as raw stdout.
 */
final class LogStream {

    private static final int HEADER = 8;

    private LogStream() {}

    static List<LogLine> demultiplex(byte[] body) {
        if (!framed(body)) {
            return lines("stdout", new String(body, StandardCharsets.UTF_8), new ArrayList<>());
        }
        List<LogLine> out = new ArrayList<>();
        int at = 0;
        while (at + HEADER <= body.length) {
            String stream = body[at] == 2 ? "stderr" : "stdout";
            int size = ((body[at + 4] & 0xff) << 24) | ((body[at + 5] & 0xff) << 16)
                    | ((body[at + 6] & 0xff) << 8) | (body[at + 7] & 0xff);
            int end = Math.min(body.length, at + HEADER + size);
            lines(stream, new String(body, at + HEADER, end - at - HEADER, StandardCharsets.UTF_8), out);
            at = end;
        }
        return out;
    }

    private static boolean framed(byte[] body) {
        return body.length >= HEADER && body[0] >= 0 && body[0] <= 2 && body[1] == 0 && body[2] == 0 && body[3] == 0;
    }

    private static List<LogLine> lines(String stream, String text, List<LogLine> out) {
        for (String line : text.split("\n", -1)) {
            if (!line.isEmpty()) {
                out.add(new LogLine(stream, line.endsWith("\r") ? line.substring(0, line.length() - 1) : line));
            }
        }
        return out;
    }
}
