package dev.afk.controlplane.badinput;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.regex.Pattern;

/** A plausible valid value for a schema: the base that each malformed request changes in one place. */
final class Examples {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** Tried in order against a string's pattern. */
    private static final List<String> CANDIDATES = List.of("probe", "main", "acme/probe", "https://git.example/acme/probe.git",
            "probe@example.org", "native", "container");

    private Examples() {}

    static JsonNode of(JsonNode schema, OpenApiOperations.Schemas schemas) {
        return of(schema, schemas, 0);
    }

    /** The schema's first non-null type; null when it declares none. */
    static String type(JsonNode schema) {
        JsonNode type = schema.path("type");
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (!t.asText().equals("null")) {
                    return t.asText();
                }
            }
            return null;
        }
        if (type.isTextual()) {
            return type.asText();
        }
        return schema.has("properties") ? "object" : null;
    }

    private static JsonNode of(JsonNode schema, OpenApiOperations.Schemas schemas, int depth) {
        schema = schemas.resolve(schema);
        if (schema == null || depth > 6) {
            return JSON.nullNode();
        }
        if (schema.has("enum") && !schema.get("enum").isEmpty()) {
            return schema.get("enum").get(0);
        }
        String type = type(schema);
        if (type == null) {
            return JSON.textNode("probe");
        }
        return switch (type) {
            case "string" -> JSON.textNode(string(schema));
            case "integer" -> JSON.numberNode(schema.has("minimum") ? schema.get("minimum").asLong() : 1);
            case "number" -> JSON.numberNode(schema.has("minimum") ? schema.get("minimum").asDouble() : 1.5);
            case "boolean" -> JSON.booleanNode(true);
            case "array" -> {
                ArrayNode array = JSON.arrayNode();
                array.add(of(schema.path("items"), schemas, depth + 1));
                yield array;
            }
            default -> {
                ObjectNode object = JSON.objectNode();
                schema.path("properties").fields()
                        .forEachRemaining(p -> object.set(p.getKey(), of(p.getValue(), schemas, depth + 1)));
                yield object;
            }
        };
    }

    private static String string(JsonNode schema) {
        if ("email".equals(schema.path("format").asText())) {
            return "probe@example.org";
        }
        if ("uuid".equals(schema.path("format").asText())) {
            return "00000000-0000-0000-0000-000000000000";
        }
        if (schema.has("pattern")) {
            Pattern pattern = Pattern.compile(schema.get("pattern").asText());
            for (String candidate : CANDIDATES) {
                if (pattern.matcher(candidate).find()) {
                    return candidate;
                }
            }
        }
        return "probe";
    }
}
