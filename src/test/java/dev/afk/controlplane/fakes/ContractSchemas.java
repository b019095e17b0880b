package dev.afk.controlplane.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The published contracts of the services we talk to (copies under {@code src/test/resources/contracts},
 * OpenAPI 3 {@code components/schemas} or Swagger 2 {@code definitions}): checks a JSON document
 * against one of their schemas (types, {@code nullable}, {@code required}, {@code enum}, {@code $ref},
 * {@code allOf}, items, map values) and builds the smallest document that conforms, which fakes fill
 * in. Enough to keep a fake honest about the shape it answers.
 */
public final class ContractSchemas {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode document;

    private ContractSchemas(JsonNode document) {
        this.document = document;
    }

    public static ContractSchemas load(String file) {
        try (InputStream in = ContractSchemas.class.getResourceAsStream("/contracts/" + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no contract " + file);
            }
            return new ContractSchemas(JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The smallest document {@code schema} accepts: required properties only, nullable ones null. */
    public ObjectNode example(String pointer) {
        return (ObjectNode) example(schema(pointer));
    }

    private JsonNode example(JsonNode schema) {
        if (schema.has("$ref")) {
            return example(document.at(schema.get("$ref").asText().substring(1)));
        }
        if (schema.has("allOf")) {
            return example(schema.get("allOf").get(0));
        }
        if (schema.path("nullable").asBoolean(false)) {
            return JSON.nullNode();
        }
        if (schema.has("enum")) {
            return schema.get("enum").get(0);
        }
        return switch (schema.path("type").asText("object")) {
            case "object" -> {
                ObjectNode object = JSON.createObjectNode();
                for (JsonNode name : schema.path("required")) {
                    object.set(name.asText(), example(schema.path("properties").path(name.asText())));
                }
                yield object;
            }
            case "array" -> JSON.createArrayNode();
            case "integer", "number" -> JSON.getNodeFactory().numberNode(1);
            case "boolean" -> JSON.getNodeFactory().booleanNode(false);
            default -> JSON.getNodeFactory().textNode(switch (schema.path("format").asText("")) {
                case "date-time" -> "2026-01-01T00:00:00Z";
                case "uri" -> "https://example.org/";
                default -> "x";
            });
        };
    }

    /** A schema by JSON pointer, e.g. {@code /components/schemas/check-run}. */
    public JsonNode schema(String pointer) {
        JsonNode schema = document.at(pointer);
        if (schema.isMissingNode()) {
            throw new IllegalArgumentException("no schema at " + pointer);
        }
        return schema;
    }

    /** Violations of {@code schema} by {@code value}; empty when it conforms. */
    public List<String> violations(JsonNode schema, String json) {
        try {
            List<String> errors = new ArrayList<>();
            check(schema, JSON.readTree(json), "$", errors);
            return errors;
        } catch (IOException e) {
            return List.of("not JSON: " + e.getMessage());
        }
    }

    private void check(JsonNode schema, JsonNode value, String at, List<String> errors) {
        if (schema.has("$ref")) {
            check(document.at(schema.get("$ref").asText().substring(1)), value, at, errors);
            return;
        }
        if (value.isNull()) {
            if (!schema.path("nullable").asBoolean(false) && schema.has("type")) {
                errors.add(at + " is null but not nullable");
            }
            return;
        }
        for (JsonNode part : schema.path("allOf")) {
            check(part, value, at, errors);
        }
        String type = schema.path("type").asText("");
        boolean ok = switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            default -> true;
        };
        if (!ok) {
            errors.add(at + " should be " + type + " but is " + value.getNodeType());
            return;
        }
        if (schema.has("enum")) {
            boolean listed = false;
            for (JsonNode allowed : schema.get("enum")) {
                listed |= allowed.equals(value);
            }
            if (!listed) {
                errors.add(at + " = " + value + " is not one of " + schema.get("enum"));
            }
        }
        if (value.isObject()) {
            for (JsonNode name : schema.path("required")) {
                if (!value.has(name.asText())) {
                    errors.add(at + " misses required " + name.asText());
                }
            }
            Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode property = schema.path("properties").path(field.getKey());
                if (!property.isMissingNode()) {
                    check(property, field.getValue(), at + "." + field.getKey(), errors);
                } else if (schema.path("additionalProperties").isObject()) {
                    check(schema.get("additionalProperties"), field.getValue(), at + "." + field.getKey(), errors);
                }
            }
        }
        if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                check(schema.get("items"), value.get(i), at + "[" + i + "]", errors);
            }
        }
    }
}
