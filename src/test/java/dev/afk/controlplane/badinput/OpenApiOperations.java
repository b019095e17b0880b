package dev.afk.controlplane.badinput;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The operations of the live OpenAPI document: what the suite probes, so a new route is probed without being listed. */
final class OpenApiOperations {

    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch");

    record Param(String name, JsonNode schema, boolean required) {}

    /**
     * One operation. {@code roles}: the roles its security requirement names (empty when any
     * authenticated caller may call it); {@code secured}: whether it has a security requirement at all.
     */
    record Operation(String method, String path, List<Param> pathParams, List<Param> queryParams, JsonNode body,
            boolean secured, Set<String> roles) {

        String id() {
            return method + " " + path;
        }

        boolean mutating() {
            return !method.equals("GET");
        }
    }

    private OpenApiOperations() {}

    static List<Operation> of(JsonNode document) {
        List<Operation> operations = new ArrayList<>();
        Schemas schemas = new Schemas(document);
        Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (String method : METHODS) {
                JsonNode operation = path.getValue().get(method);
                if (operation == null) {
                    continue;
                }
                List<Param> pathParams = new ArrayList<>();
                List<Param> queryParams = new ArrayList<>();
                for (JsonNode source : List.of(path.getValue().path("parameters"), operation.path("parameters"))) {
                    for (JsonNode parameter : source) {
                        JsonNode resolved = schemas.resolve(parameter);
                        Param param = new Param(resolved.path("name").asText(), schemas.resolve(resolved.path("schema")),
                                resolved.path("required").asBoolean(false));
                        switch (resolved.path("in").asText()) {
                            case "path" -> pathParams.add(param);
                            case "query" -> queryParams.add(param);
                            default -> { }
                        }
                    }
                }
                JsonNode body = operation.path("requestBody").path("content").path("application/json").path("schema");
                JsonNode security = operation.has("security") ? operation.get("security") : document.path("security");
                Set<String> roles = new LinkedHashSet<>();
                security.forEach(requirement -> requirement.fields()
                        .forEachRemaining(scheme -> scheme.getValue().forEach(role -> roles.add(role.asText()))));
                operations.add(new Operation(method.toUpperCase(java.util.Locale.ROOT), path.getKey(), pathParams, queryParams,
                        body.isMissingNode() ? null : schemas.resolve(body), !security.isEmpty(), roles));
            }
        }
        return operations;
    }

    /** {@code $ref}s of the document's components, resolved. */
    static final class Schemas {
        private final JsonNode document;

        Schemas(JsonNode document) {
            this.document = document;
        }

        JsonNode resolve(JsonNode node) {
            int hops = 0;
            while (node != null && node.has("$ref") && hops++ < 20) {
                String ref = node.get("$ref").asText();
                node = document.at(ref.substring(1));
            }
            return node;
        }
    }
}
