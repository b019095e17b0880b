package dev.afk.controlplane.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.afk.controlplane.fakes.LoopbackHttpFake;
import dev.afk.controlplane.fakes.github.FakeRepo;
import dev.afk.controlplane.fakes.github.WebhookPayloads;
import dev.afk.controlplane.fakes.ntfy.FakeNtfy;
import dev.afk.controlplane.fakes.slack.FakeSlack;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a person does in the sandbox, as curl commands on loopback: open an issue, label or unlabel
 * an issue as a named user, make CI red or green, and look at issues, their comments, CI verdicts and
 * the doorbell's messages. Everything else (the kill switch, runs, answers, unfreezing) is the
 * service's own API. A label with {@code "webhook": false} sends no delivery, so only the service's
 * poll can see it (bench/run-latency measures both paths).
 */
final class SandboxControl extends LoopbackHttpFake {

    private static final Pattern ISSUE = Pattern.compile("/issues/(\\d+)");
    private static final Pattern LABELS = Pattern.compile("/issues/(\\d+)/labels");
    private static final Pattern LABEL = Pattern.compile("/issues/(\\d+)/labels/([^/]+)");

    private final ObjectMapper json = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
    private final FakeRepo repo;
    private final SandboxCi ci;
    private final SandboxWebhooks webhooks;
    private final FakeSlack slack;
    private final FakeNtfy ntfy;
    private int issues;

    SandboxControl(int port, FakeRepo repo, int issues, SandboxCi ci, SandboxWebhooks webhooks, FakeSlack slack, FakeNtfy ntfy) {
        super(port);
        this.repo = repo;
        this.issues = issues;
        this.ci = ci;
        this.webhooks = webhooks;
        this.slack = slack;
        this.ntfy = ntfy;
    }

    @Override
    protected synchronized Response handle(Request request) {
        try {
            return route(request);
        } catch (IllegalArgumentException e) {
            return problem(400, e.getMessage());
        }
    }

    private Response route(Request request) {
        String path = request.path();
        String method = request.method();
        Matcher m;
        if (path.equals("/issues") && method.equals("GET")) {
            ArrayNode list = json.createArrayNode();
            for (int n = 1; n <= issues; n++) {
                list.add(issue(n, false));
            }
            return ok(list);
        }
        if (path.equals("/issues") && method.equals("POST")) {
            JsonNode body = body(request);
            int number = repo.createIssue(text(body, "title"), body.path("body").asText(""));
            issues = Math.max(issues, number);
            return ok(issue(number, true));
        }
        if ((m = ISSUE.matcher(path)).matches() && method.equals("GET")) {
            return known(m.group(1)) ? ok(issue(Integer.parseInt(m.group(1)), true)) : problem(404, "no issue " + m.group(1));
        }
        if ((m = LABELS.matcher(path)).matches() && method.equals("POST")) {
            if (!known(m.group(1))) {
                return problem(404, "no issue " + m.group(1));
            }
            int number = Integer.parseInt(m.group(1));
            JsonNode body = body(request);
            String label = text(body, "label");
            String user = text(body, "as");
            repo.label(number, label, user);
            if (body.path("webhook").asBoolean(true)) {
                webhooks.deliver(WebhookPayloads.issues("labeled", repo.fullName(), number, label));
            }
            return ok(issue(number, false));
        }
        if ((m = LABEL.matcher(path)).matches() && method.equals("DELETE")) {
            if (!known(m.group(1))) {
                return problem(404, "no issue " + m.group(1));
            }
            int number = Integer.parseInt(m.group(1));
            String label = URLDecoder.decode(m.group(2), StandardCharsets.UTF_8);
            String user = query(request).getOrDefault("as", "");
            if (user.isBlank()) {
                throw new IllegalArgumentException("say who removes the label: ?as=<user>");
            }
            repo.unlabel(number, label, user);
            webhooks.deliver(WebhookPayloads.issues("unlabeled", repo.fullName(), number, label));
            return ok(issue(number, false));
        }
        if (path.equals("/ci") && method.equals("PUT")) {
            JsonNode red = body(request).path("red");
            if (!red.isInt() || red.asInt() < 0 || red.asInt() > 1000) {
                throw new IllegalArgumentException("\"red\" must be how many of the next commits fail CI (0 to 1000)");
            }
            ci.redFor(red.asInt());
            return ok(ciView());
        }
        if (path.equals("/ci") && method.equals("GET")) {
            return ok(ciView());
        }
        if (path.equals("/doorbell") && method.equals("GET")) {
            ObjectNode rings = json.createObjectNode();
            rings.set("slack", json.valueToTree(slack.delivered().stream().map(s -> s.path("text").asText()).toList()));
            rings.set("ntfy", json.valueToTree(ntfy.published().stream()
                    .map(n -> n.path("title").asText() + ": " + n.path("message").asText()).toList()));
            return ok(rings);
        }
        return problem(404, method + " " + path + " is not a sandbox operation; see README.md, 'The sandbox'");
    }

    private ObjectNode issue(int number, boolean detail) {
        FakeRepo.Issue issue = repo.issue(number);
        ObjectNode node = json.createObjectNode().put("repo", repo.fullName()).put("number", number)
                .put("title", issue.title).put("state", issue.state);
        node.set("labels", json.valueToTree(repo.labels(number)));
        if (detail) {
            node.put("body", issue.body);
            node.set("comments", json.valueToTree(repo.comments(number).stream().map(FakeRepo.Comment::body).toList()));
        }
        return node;
    }

    private ObjectNode ciView() {
        ObjectNode view = json.createObjectNode().put("redLeft", ci.redLeft());
        view.set("verdicts", json.valueToTree(ci.given()));
        return view;
    }

    private boolean known(String number) {
        int n = Integer.parseInt(number);
        return n >= 1 && n <= issues;
    }

    private JsonNode body(Request request) {
        try {
            JsonNode body = json.readTree(request.body());
            if (body == null || !body.isObject()) {
                throw new IllegalArgumentException("the body must be a JSON object");
            }
            return body;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("the body is not JSON");
        }
    }

    private static String text(JsonNode body, String field) {
        String value = body.path(field).asText("");
        if (value.isBlank() || value.length() > 100) {
            throw new IllegalArgumentException("\"" + field + "\" is required (1 to 100 characters)");
        }
        return value;
    }

    private Response ok(JsonNode body) {
        return Response.json(200, body.toPrettyString() + "\n");
    }

    private Response problem(int status, String detail) {
        ObjectNode problem = json.createObjectNode().put("type", "about:blank").put("status", status).put("detail", detail);
        return new Response(status, "application/problem+json", problem.toPrettyString() + "\n", Map.of());
    }
}
