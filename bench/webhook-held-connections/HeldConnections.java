import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Holds CONNECTIONS webhook deliveries of MB megabytes each against a running service and reports,
 * per scenario, the statuses answered, the largest heap in use (sampled from /q/metrics every
 * 100 ms) and whether the service still answers afterwards.
 *   java HeldConnections.java <http port> <management port> [connections] [megabytes]
 */
public class HeldConnections {

    static final Pattern HEAP = Pattern.compile("^jvm_memory_used_bytes\\{area=\"heap\"[^}]*} ([0-9.E+]+)", Pattern.MULTILINE);
    static final String FORGED = "sha256=" + "ab".repeat(32);

    record Scenario(String name, Map<String, String> headers, boolean chunked, long declared, long send, long pauseMs) {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int management = Integer.parseInt(args[1]);
        int connections = args.length > 2 ? Integer.parseInt(args[2]) : 40;
        long bytes = (args.length > 3 ? Long.parseLong(args[3]) : 20) * 1024 * 1024;
        List<Scenario> scenarios = List.of(
                new Scenario("no signature, declared", Map.of("X-GitHub-Event", "push"), false, bytes, bytes, 0),
                new Scenario("forged signature, declared", Map.of("X-GitHub-Event", "push", "X-Hub-Signature-256", FORGED),
                        false, bytes, bytes, 0),
                new Scenario("forged signature, chunked", Map.of("X-GitHub-Event", "push", "X-Hub-Signature-256", FORGED),
                        true, -1, bytes, 0),
                new Scenario("forged signature, 4.9 MB declared, 1 MB sent then held",
                        Map.of("X-GitHub-Event", "push", "X-Hub-Signature-256", FORGED), false, 4_900_000, 1024 * 1024, 30_000));
        System.out.println("scenario\tconnections\tMB each\tstatuses\tseconds\tmax heap used MB\tlive after");
        for (Scenario scenario : scenarios) {
            run(scenario, port, management, connections, bytes);
        }
    }

    static void run(Scenario scenario, int port, int management, int connections, long bytes) throws Exception {
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        AtomicLong maxHeap = new AtomicLong();
        HttpClient client = HttpClient.newHttpClient();
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                maxHeap.accumulateAndGet(heap(client, management), Math::max);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        long started = System.nanoTime();
        List<Thread> senders = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            senders.add(Thread.ofPlatform().start(() -> statuses.merge(deliver(scenario, port), 1, Integer::sum)));
        }
        for (Thread sender : senders) {
            sender.join();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Thread.sleep(500);
        sampler.interrupt();
        boolean live = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management + "/q/health/live")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        System.out.printf("%s\t%d\t%.1f\t%s\t%.1f\t%d\t%s%n", scenario.name(), connections,
                scenario.declared() > 0 && scenario.declared() < bytes ? scenario.declared() / 1e6 : bytes / 1048576.0,
                new TreeMap<>(statuses), seconds, maxHeap.get() / 1024 / 1024, live ? "yes" : "NO");
    }

    /** One delivery on its own connection; the status answered, 0 if none (connection dropped). */
    static int deliver(Scenario scenario, int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            StringBuilder head = new StringBuilder("POST /webhooks/github HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n");
            scenario.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            head.append(scenario.chunked() ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + scenario.declared() + "\r\n");
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            // The answer may come before the body is sent (401, 413, 429): read it as it comes.
            int[] status = {0};
            InputStream in = socket.getInputStream();
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    status[0] = status(in);
                } catch (IOException e) {
                    status[0] = 0;
                }
            });
            byte[] chunk = new byte[64 * 1024];
            try {
                for (long sent = 0; sent < scenario.send() && reader.isAlive(); sent += chunk.length) {
                    if (scenario.chunked()) {
                        out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    }
                    out.write(chunk);
                    if (scenario.chunked()) {
                        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    }
                }
                out.flush();
                if (scenario.pauseMs() > 0) {
                    reader.join(scenario.pauseMs());
                }
            } catch (IOException answeredAndClosed) {
                // the service answered early and closed: read what it said
            }
            reader.join(60_000);
            return status[0];
        } catch (Exception e) {
            return 0;
        }
    }

    static int status(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            line.write(b);
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.startsWith("HTTP/") ? Integer.parseInt(text.split(" ")[1]) : 0;
    }

    static long heap(HttpClient client, int management) {
        try {
            String metrics = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = HEAP.matcher(metrics);
            double sum = 0;
            while (m.find()) {
                sum += Double.parseDouble(m.group(1));
            }
            return (long) sum;
        } catch (Exception e) {
            return 0;
        }
    }
}
