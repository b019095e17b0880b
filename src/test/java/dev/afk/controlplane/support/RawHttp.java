package dev.afk.controlplane.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 exchange over a plain socket, for what an HTTP client will not do: send headers and
 * hold the body back, send part of a body, or send bytes no client would.
 */
public final class RawHttp implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;

    public RawHttp(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        out = socket.getOutputStream();
    }

    /**
     * A whole exchange on its own connection ({@code Connection: close}); a body the server stops
     * reading (it answered early) is cut short, and its answer read all the same.
     */
    public static Response exchange(int port, String method, String target, Map<String, String> headers, byte[] body)
            throws IOException {
        Map<String, String> all = new java.util.LinkedHashMap<>(headers);
        all.put("Connection", "close");
        if (body != null) {
            all.put("Content-Length", Integer.toString(body.length));
        }
        try (RawHttp http = new RawHttp(port)) {
            http.head(method, target, all);
            if (body != null) {
                try {
                    http.send(body);
                } catch (IOException answeredEarly) {
                    // the answer is already on its way
                }
            }
            return http.response(Duration.ofSeconds(30));
        }
    }

    /** The request line and headers; the body (if any) follows with {@link #send}. */
    public RawHttp head(String method, String target, Map<String, String> headers) throws IOException {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: localhost\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        return send(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawHttp send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** The response, read until the connection closes or the body is complete; null if none came within {@code wait}. */
    public Response response(Duration wait) throws IOException {
        socket.setSoTimeout((int) wait.toMillis());
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                received.write(buffer, 0, n);
                Response parsed = Response.parse(received.toString(StandardCharsets.UTF_8));
                if (parsed != null && parsed.complete()) {
                    return parsed;
                }
            }
        } catch (SocketTimeoutException e) {
            // what came so far is the answer
        } catch (IOException e) {
            // reset after the answer: what came so far is the answer
        }
        return Response.parse(received.toString(StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    public record Response(int status, Map<String, String> headers, String body) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        boolean complete() {
            String length = header("content-length");
            return length != null && body.getBytes(StandardCharsets.UTF_8).length >= Integer.parseInt(length.strip());
        }

        static Response parse(String text) {
            int end = text.indexOf("\r\n\r\n");
            if (!text.startsWith("HTTP/") || end < 0) {
                return null;
            }
            String[] lines = text.substring(0, end).split("\r\n");
            Map<String, String> headers = new java.util.HashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
            }
            return new Response(Integer.parseInt(lines[0].split(" ")[1]), headers, text.substring(end + 4));
        }
    }
}
