package dev.afk.controlplane.fakes.github;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The published GitHub contracts ({@code src/test/resources/contracts/}, copies of
 * {@code shared/contracts/github-*-subset.json}): validates bodies against them, and makes minimal
 * valid samples of their schemas, which the fake fills in with its state so that it cannot answer
 * anything the contract forbids.
 */
public final class GitHubContracts {

    public static final String REST = "contracts/github-openapi-subset.json";
    public static final String WEBHOOKS = "contracts/github-webhooks-subset.json";
    /** The repository's issue-events feed, outside the published subset: its own contract, on the subset's schemas. */
    public static final String ISSUE_EVENTS = "contracts/github-issue-events.json";

    private static final ObjectMapper JACKSON = new ObjectMapper();
    private static final Map<String, GitHubContracts> LOADED = new ConcurrentHashMap<>();

    private final JsonObject document;
    private final JsonNode tree;
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi30());
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    private GitHubContracts(String text) {
        this.document = new JsonObject(text);
        this.tree = JACKSON.readTree(text);
    }

    public static GitHubContracts rest() {
        return LOADED.computeIfAbsent(REST, GitHubContracts::load);
    }

    public static GitHubContracts webhooks() {
        return LOADED.computeIfAbsent(WEBHOOKS, GitHubContracts::load);
    }

    public static GitHubContracts issueEvents() {
        return LOADED.computeIfAbsent(ISSUE_EVENTS, resource -> {
            JsonObject own = new JsonObject(text(resource));
            JsonObject components = new JsonObject(text(REST)).getJsonObject("components");
            own.getJsonObject("components").forEach(section -> {
                JsonObject merged = components.getJsonObject(section.getKey(), new JsonObject());
                ((JsonObject) section.getValue()).forEach(entry -> merged.put(entry.getKey(), entry.getValue()));
                components.put(section.getKey(), merged);
            });
            return new GitHubContracts(own.put("components", components).encode());
        });
    }

    /** The contract that describes an operation: the published subset, else the issue-events feed's own. */
    public static GitHubContracts describing(String method, String pathTemplate, int status) {
        return rest().documents(method, pathTemplate, status) || !issueEvents().documents(method, pathTemplate, status)
                ? rest() : issueEvents();
    }

    private static GitHubContracts load(String resource) {
        return new GitHubContracts(text(resource));
    }

    private static String text(String resource) {
        try (InputStream in = GitHubContracts.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** JSON pointer of the JSON response schema of an operation, if the contract has one. */
    public Optional<String> responsePointer(String method, String pathTemplate, int status) {
        JsonObject operation = document.getJsonObject("paths").getJsonObject(pathTemplate, new JsonObject())
                .getJsonObject(method.toLowerCase(), null);
        if (operation == null) {
            return Optional.empty();
        }
        JsonObject response = operation.getJsonObject("responses").getJsonObject(String.valueOf(status));
        if (response == null) {
            return Optional.empty();
        }
        String base = "#/paths/" + escape(pathTemplate) + "/" + method.toLowerCase() + "/responses/" + status;
        if (response.containsKey("$ref")) {
            base = response.getString("$ref");
            response = resolve(base);
        }
        JsonObject content = response.getJsonObject("content");
        if (content == null || !content.containsKey("application/json")) {
            return Optional.of("");
        }
        return Optional.of(base + "/content/application~1json/schema");
    }

    /** Whether the contract lists this operation and status at all. */
    public boolean documents(String method, String pathTemplate, int status) {
        return responsePointer(method, pathTemplate, status).isPresent();
    }

    /** Schema violations of {@code body} against the schema at {@code pointer} (empty: valid). */
    public List<String> violations(String pointer, String body) {
        Schema schema = schemas.computeIfAbsent(pointer, this::schemaAt);
        return schema.validate(JACKSON.readTree(body)).stream().map(Object::toString).toList();
    }

    /** Violations of a webhook body against the contract's {@code x-webhooks} entry, e.g. {@code issues-labeled}. */
    public List<String> webhookViolations(String webhook, String body) {
        String pointer = "#/x-webhooks/" + webhook + "/post/requestBody/content/application~1json/schema";
        return violations(pointer, body);
    }

    private Schema schemaAt(String pointer) {
        // A schema of its own whose "#/components/..." references still resolve.
        ObjectNode root = ((ObjectNode) tree.at(pointer.substring(1))).deepCopy();
        root.set("components", tree.get("components"));
        return registry.getSchema(root);
    }

    /** A minimal instance of the schema at {@code pointer}: every required property, nothing else. */
    public JsonObject sample(String pointer) {
        return (JsonObject) sampleOf(resolve(pointer), 0);
    }

    /** {@code sample("#/components/schemas/" + name)}. */
    public JsonObject sampleOfSchema(String name) {
        return sample("#/components/schemas/" + name);
    }

    private Object sampleOf(JsonObject schema, int depth) {
        if (schema.containsKey("$ref")) {
            return sampleOf(resolve(schema.getString("$ref")), depth);
        }
        if (schema.containsKey("allOf")) {
            JsonObject merged = new JsonObject();
            for (Object part : schema.getJsonArray("allOf")) {
                Object value = sampleOf((JsonObject) part, depth);
                if (value instanceof JsonObject object) {
                    mergeKeepingValues(merged, object);
                }
            }
            return merged;
        }
        for (String choice : List.of("oneOf", "anyOf")) {
            if (schema.containsKey(choice)) {
                return sampleOf(schema.getJsonArray(choice).getJsonObject(0), depth);
            }
        }
        if (schema.containsKey("enum")) {
            return schema.getJsonArray("enum").getValue(0);
        }
        if (schema.getBoolean("nullable", false) && depth > 6) {
            return null;
        }
        String type = schema.getString("type", schema.containsKey("properties") ? "object" : "string");
        return switch (type) {
            case "object" -> {
                JsonObject object = new JsonObject();
                JsonObject properties = schema.getJsonObject("properties", new JsonObject());
                for (Object name : schema.getJsonArray("required", new JsonArray())) {
                    JsonObject property = properties.getJsonObject((String) name, new JsonObject());
                    object.put((String) name, sampleOf(property, depth + 1));
                }
                yield object;
            }
            case "array" -> {
                JsonArray array = new JsonArray();
                if (schema.getInteger("minItems", 0) > 0) {
                    array.add(sampleOf(schema.getJsonObject("items"), depth + 1));
                }
                yield array;
            }
            case "integer" -> Math.max(1, schema.getInteger("minimum", 1));
            case "number" -> 1.0;
            case "boolean" -> false;
            default -> switch (schema.getString("format", "")) {
                case "date-time" -> "2026-01-01T00:00:00Z";
                case "uri", "url" -> "https://github.example/sample";
                case "email" -> "octocat@github.com";
                default -> "sample";
            };
        };
    }

    /** The first allOf part that says something about a property is the detailed one; later parts only add. */
    private static void mergeKeepingValues(JsonObject into, JsonObject from) {
        from.forEach(entry -> {
            Object existing = into.getValue(entry.getKey());
            if (existing instanceof JsonObject a && entry.getValue() instanceof JsonObject b) {
                mergeKeepingValues(a, b);
            } else if (existing == null) {
                into.put(entry.getKey(), entry.getValue());
            }
        });
    }

    private JsonObject resolve(String pointer) {
        Object node = document;
        Iterator<String> parts = List.of(pointer.substring(2).split("/")).iterator();
        while (parts.hasNext()) {
            String part = parts.next().replace("~1", "/").replace("~0", "~");
            node = node instanceof JsonObject object ? object.getValue(part)
                    : ((JsonArray) node).getValue(Integer.parseInt(part));
        }
        return (JsonObject) node;
    }

    private static String escape(String pathTemplate) {
        return pathTemplate.replace("~", "~0").replace("/", "~1");
    }

    /** Names of all x-webhooks entries. */
    public List<String> webhookNames() {
        return new ArrayList<>(document.getJsonObject("x-webhooks", new JsonObject()).fieldNames());
    }
}
