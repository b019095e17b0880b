package dev.afk.controlplane.ci;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientRequest;
import io.vertx.mutiny.core.http.HttpClientResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * Reads a plain-text log over HTTP and keeps only its last bytes: the body streams through a ring
 * of {@code maxBytes}, so a log of any size costs that much memory; the whole exchange is bounded
 * by {@code timeout} (the connection is reset when it runs out). Never blocks: it is Vert.x I/O.
 * Redirects are not followed, so credentials in {@code headers} only ever reach {@code url}'s host.
 */
public final class LogDownload {

    private LogDownload() {}

    /**
     * The end of the body of a 200 answer; empty for any other status. Fails with a
     * {@link TimeoutException} or the I/O failure; no message names the URL (it may be signed).
     */
    public static Uni<Optional<String>> tail(HttpClient client, URI url, Map<String, String> headers, int maxBytes,
            Duration timeout) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url.toString())
                .setFollowRedirects(false).setIdleTimeout(timeout.toMillis());
        headers.forEach(options::putHeader);
        return client.request(options).flatMap(request -> request.send()
                .flatMap(response -> read(response, maxBytes))
                .ifNoItem().after(timeout).failWith(() -> new TimeoutException("the log was not read within " + timeout))
                .onFailure().invoke(() -> reset(request))
                .onCancellation().invoke(() -> reset(request)));
    }

    private static Uni<Optional<String>> read(HttpClientResponse response, int maxBytes) {
        boolean ok = response.statusCode() == 200;
        // Other answers are drained into a ring of one byte: bounded, and the connection stays usable.
        return response.toMulti().collect().in(() -> new Ring(ok ? maxBytes : 1), Ring::add)
                .map(ring -> ok ? Optional.of(ring.text()) : Optional.empty());
    }

    private static void reset(HttpClientRequest request) {
        request.reset();
    }

    /** The last {@code capacity} bytes written to it. */
    static final class Ring {

        private final byte[] bytes;
        private long written;

        Ring(int capacity) {
            bytes = new byte[Math.max(1, capacity)];
        }

        void add(Buffer buffer) {
            add(buffer.getBytes());
        }

        void add(byte[] chunk) {
            int skip = Math.max(0, chunk.length - bytes.length);
            written += skip;
            int left = chunk.length - skip;
            int at = skip;
            while (left > 0) {
                int slot = (int) (written % bytes.length);
                int n = Math.min(left, bytes.length - slot);
                System.arraycopy(chunk, at, bytes, slot, n);
                written += n;
                at += n;
                left -= n;
            }
        }

        /** What it holds, oldest first, decoded from the first whole UTF-8 character. */
        String text() {
            int size = (int) Math.min(written, bytes.length);
            int oldest = (int) ((written - size) % bytes.length);
            byte[] tail = new byte[size];
            int first = Math.min(size, bytes.length - oldest);
            System.arraycopy(bytes, oldest, tail, 0, first);
            System.arraycopy(bytes, 0, tail, first, size - first);
            return CiLogs.decodeTail(tail);
        }
    }
}
