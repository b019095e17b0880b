package dev.afk.controlplane.sandbox;

import dev.afk.controlplane.fakes.github.WebhookPayloads;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Sends the simulated GitHub's webhook deliveries to the service, signed with the shared secret as GitHub signs them. */
final class SandboxWebhooks {

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI receiver;
    private final String secret;

    SandboxWebhooks(URI service, String secret) {
        this.receiver = service.resolve("/webhooks/github");
        this.secret = secret;
    }

    /** Fire and forget: the service polls anyway, a delivery only makes it look sooner. */
    void deliver(WebhookPayloads.Delivery delivery) {
        byte[] body = delivery.body().getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(receiver)
                .header("Content-Type", "application/json")
                .header("X-GitHub-Event", delivery.event())
                .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", WebhookPayloads.signature(secret, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
            if (failure != null || response.statusCode() >= 300) {
                System.err.println("sandbox: webhook " + delivery.event() + " not taken ("
                        + (failure != null ? failure : "HTTP " + response.statusCode()) + "); the next poll will see it");
            }
        });
    }
}
