package dev.afk.controlplane.badinput;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.afk.controlplane.badinput.OpenApiOperations.Operation;
import dev.afk.controlplane.badinput.OpenApiOperations.Param;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Malformed requests for one operation, each wrong in one place: the body (wrong types, control
 * characters, megabyte strings, deep nesting, unknown and missing fields, not JSON, wrong content
 * types), a path parameter (traversal, encodings, injections) or a query parameter.
 */
final class MalformedRequests {

    /** One request: what is wrong with it, and the raw request parts. */
    record Request(String what, String method, String target, String contentType, byte[] body) {}

    static final String MISSING = "probe-missing";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final List<JsonNode> ANY_TYPE = List.of(JSON.numberNode(42), JSON.booleanNode(true), JSON.textNode("text"),
            JSON.arrayNode(), JSON.objectNode(), JSON.numberNode(1.5));
    private static final List<String> CONTROL = List.of("a\u0000b", "\u001b[2Jcleared", "bell\u0007", "back\bspace", "\u007f");
    /** Not "%zz" (here or in queries): malformed percent-encoding is refused by the HTTP server itself, with an empty 400. */
    private static final List<String> PATH_VALUES = List.of("..", ".", "%2e%2e", "%2E", "%2e%2e%2f%2e%2e%2fetc", "%2F", "a%2Fb",
            "%00", "%0a", "%0d%0aX-Injected:%201", "%ff", "%252e%252e", "%C0%AE%C0%AE", "%C3%BC", "%E2%80%AE",
            "'%20or%201=1--", "$%7Bjndi:ldap:%2F%2Fx%7D", "%3Cscript%3E", "A".repeat(2000), "-1", "0",
            "99999999999999999999", "00000000-0000-0000-0000-000000000000", "%20", "~", "*");
    private static final List<String> QUERY_VALUES = List.of("abc", "-1", "0", "99999999999", "1.5", "", "%00", "%0a",
            "A".repeat(2000), "true", "%27%20or%201=1--", "%5B%5D");
    private static final List<String> CONTENT_TYPES = List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x", "application/octet-stream");
    private static final int[] HUGE_MB = {1, 2, 4, 10};

    private MalformedRequests() {}

    static List<Request> of(Operation op, OpenApiOperations.Schemas schemas, int index) {
        List<Request> requests = new ArrayList<>();
        String target = target(op, Map.of());
        if (op.body() != null) {
            JsonNode base = Examples.of(op.body(), schemas);
            body(op, base, schemas, target, index, requests);
        }
        for (Param param : op.pathParams()) {
            for (String value : PATH_VALUES) {
                requests.add(new Request("path " + param.name() + "=" + shorten(value), op.method(),
                        target(op, Map.of(param.name(), value)), op.body() == null ? null : "application/json",
                        op.body() == null ? null : bytes(Examples.of(op.body(), schemas))));
            }
        }
        for (Param param : op.queryParams()) {
            for (String value : QUERY_VALUES) {
                requests.add(query(op, schemas, target, param.name() + "=" + value, "query " + param.name() + "=" + shorten(value)));
            }
            requests.add(query(op, schemas, target, param.name() + "=1&" + param.name() + "=2", "query " + param.name() + " twice"));
        }
        return requests;
    }

    private static Request query(Operation op, OpenApiOperations.Schemas schemas, String target, String query, String what) {
        return new Request(what, op.method(), target + "?" + query, op.body() == null ? null : "application/json",
                op.body() == null ? null : bytes(Examples.of(op.body(), schemas)));
    }

    private static void body(Operation op, JsonNode base, OpenApiOperations.Schemas schemas, String target, int index,
            List<Request> requests) {
        String m = op.method();
        // The whole body.
        for (String raw : List.of("", "{", "[]", "\"text\"", "null", "42", "{\"a\":", "{}}", "\u0000", "{\"a\":1,\"a\":2}")) {
            requests.add(new Request("body " + shorten(raw), m, target, "application/json", raw.getBytes(StandardCharsets.UTF_8)));
        }
        for (String type : CONTENT_TYPES) {
            requests.add(new Request("content type " + type, m, target, type, bytes(base)));
        }
        requests.add(new Request("no content type", m, target, null, bytes(base)));
        requests.add(new Request("deeply nested", m, target, "application/json",
                ("[".repeat(5000) + "]".repeat(5000)).getBytes(StandardCharsets.UTF_8)));
        if (!(base instanceof ObjectNode object)) {
            return;
        }
        ObjectNode unknown = object.deepCopy();
        unknown.put("unexpectedField", "x");
        requests.add(new Request("unknown field", m, target, "application/json", bytes(unknown)));
        JsonNode schema = schemas.resolve(op.body());
        List<String> required = new ArrayList<>();
        schema.path("required").forEach(r -> required.add(r.asText()));
        for (String field : required) {
            ObjectNode missing = object.deepCopy();
            missing.remove(field);
            requests.add(new Request("missing " + field, m, target, "application/json", bytes(missing)));
            ObjectNode nulled = object.deepCopy();
            nulled.putNull(field);
            requests.add(new Request("null " + field, m, target, "application/json", bytes(nulled)));
        }
        boolean huge = false;
        Iterator<Map.Entry<String, JsonNode>> properties = schema.path("properties").fields();
        while (properties.hasNext()) {
            Map.Entry<String, JsonNode> property = properties.next();
            String field = property.getKey();
            JsonNode fieldSchema = schemas.resolve(property.getValue());
            String type = Examples.type(fieldSchema);
            for (JsonNode wrong : ANY_TYPE) {
                if (!matches(type, wrong)) {
                    requests.add(with(m, target, object, field, wrong, "wrong type " + field + "=" + wrong));
                }
            }
            if ("string".equals(type)) {
                for (String control : CONTROL) {
                    requests.add(with(m, target, object, field, JSON.textNode(control), "control character in " + field));
                }
                if (!huge) {
                    huge = true;
                    int mb = HUGE_MB[index % HUGE_MB.length];
                    requests.add(with(m, target, object, field, JSON.textNode("x".repeat(mb * 1024 * 1024 + 17)),
                            mb + " MB string in " + field));
                }
            }
            if ("integer".equals(type) || "number".equals(type)) {
                for (String number : List.of("99999999999", "-99999999999", "1e400", "-1e400")) {
                    requests.add(withRaw(m, target, object, field, number, "out of range " + field + "=" + number));
                }
                if (fieldSchema.has("minimum")) {
                    requests.add(with(m, target, object, field, JSON.numberNode(fieldSchema.get("minimum").asLong() - 1),
                            "below minimum " + field));
                }
                if (fieldSchema.has("maximum")) {
                    requests.add(with(m, target, object, field, JSON.numberNode(fieldSchema.get("maximum").asLong() + 1),
                            "above maximum " + field));
                }
            }
            if ("array".equals(type)) {
                requests.add(withRaw(m, target, object, field, "[null]", "null item in " + field));
                requests.add(withRaw(m, target, object, field, "[[[[[[\"deep\"]]]]]]", "nested arrays in " + field));
            }
            if ("object".equals(type)) {
                requests.add(withRaw(m, target, object, field, "{\"k\\u0000\": \"v\", \"n\": {\"v\": \"\\u0000\"}}",
                        "control characters inside " + field));
            }
        }
    }

    private static boolean matches(String type, JsonNode value) {
        if (type == null) {
            return true;
        }
        return switch (type) {
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "array" -> value.isArray();
            case "object" -> value.isObject();
            default -> true;
        };
    }

    private static Request with(String method, String target, ObjectNode base, String field, JsonNode value, String what) {
        ObjectNode changed = base.deepCopy();
        changed.set(field, value);
        return new Request(what, method, target, "application/json", bytes(changed));
    }

    /** For values Jackson's tree would not write as given (numbers beyond double, escapes in keys). */
    private static Request withRaw(String method, String target, ObjectNode base, String field, String raw, String what) {
        ObjectNode changed = base.deepCopy();
        String marker = "\"@@raw@@\"";
        changed.put(field, "@@raw@@");
        String json = changed.toString().replace(marker, raw);
        return new Request(what, method, target, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    /** The path with every parameter filled: the given raw value, or a name nothing has. */
    static String target(Operation op, Map<String, String> values) {
        Map<String, String> all = new LinkedHashMap<>();
        op.pathParams().forEach(p -> all.put(p.name(), MISSING));
        all.putAll(values);
        String path = op.path();
        for (Map.Entry<String, String> value : all.entrySet()) {
            path = path.replace("{" + value.getKey() + "}", value.getValue());
        }
        return path;
    }

    static byte[] bytes(JsonNode json) {
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String shorten(String value) {
        return value.length() > 30 ? value.substring(0, 12) + "…(" + value.length() + ")" : value;
    }
}
