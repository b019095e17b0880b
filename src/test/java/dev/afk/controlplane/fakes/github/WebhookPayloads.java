package dev.afk.controlplane.fakes.github;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook deliveries as GitHub sends them: bodies made from the webhook contract's schemas with the
 * repository and subject written in, and their {@code X-Hub-Signature-256}. {@link #contractEntry}
 * names the schema a body follows; reopened issues and commit statuses are outside the contract
 * subset, so they have none.
 */
public final class WebhookPayloads {

    /** A delivery: the event header, the body, and the contract entry it is checked against (if any). */
    public record Delivery(String event, String body, Optional<String> contractEntry) {}

    private WebhookPayloads() {}

    public static Delivery issues(String action, String repo, int number, String label) {
        String entry = switch (action) {
            case "labeled" -> "issues-labeled";
            case "unlabeled" -> "issues-unlabeled";
            default -> "issues-closed"; // reopened has the same shape, with action "reopened"
        };
        JsonObject body = sample(entry).put("action", action);
        body.getJsonObject("issue").put("number", number).put("state", action.equals("closed") ? "closed" : "open");
        if (label != null) {
            body.put("label", GitHubContracts.webhooks().sample("#/components/schemas/webhooks_label").put("name", label));
        }
        withRepository(body, repo);
        return new Delivery("issues", body.encode(), action.equals("reopened") ? Optional.empty() : Optional.of(entry));
    }

    public static Delivery push(String repo, String after) {
        JsonObject body = sample("push").put("ref", "refs/heads/main").put("after", after);
        return new Delivery("push", withRepository(body, repo).encode(), Optional.of("push"));
    }

    public static Delivery checkRunCompleted(String repo) {
        return new Delivery("check_run", withRepository(sample("check-run-completed").put("action", "completed"), repo).encode(),
                Optional.of("check-run-completed"));
    }

    public static Delivery checkSuiteCompleted(String repo) {
        return new Delivery("check_suite", withRepository(sample("check-suite-completed").put("action", "completed"), repo).encode(),
                Optional.of("check-suite-completed"));
    }

    public static Delivery workflowRunCompleted(String repo) {
        return new Delivery("workflow_run", withRepository(sample("workflow-run-completed").put("action", "completed"), repo).encode(),
                Optional.of("workflow-run-completed"));
    }

    public static Delivery status(String repo, String sha, String state) {
        JsonObject body = new JsonObject().put("sha", sha).put("state", state).put("context", "ci/woodpecker")
                .put("repository", new JsonObject().put("full_name", repo));
        return new Delivery("status", body.encode(), Optional.empty());
    }

    /** {@code sha256=} and the HMAC-SHA256 of the body, as GitHub signs it. */
    public static String signature(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonObject sample(String entry) {
        return GitHubContracts.webhooks().sample("#/x-webhooks/" + entry + "/post/requestBody/content/application~1json/schema");
    }

    private static JsonObject withRepository(JsonObject body, String repo) {
        body.getJsonObject("repository").put("full_name", repo).put("name", repo.substring(repo.indexOf('/') + 1));
        return body;
    }
}
