package dev.afk.controlplane.github;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One GitHub REST operation with its arguments: {@code template} names it in metrics (bounded
 * cardinality). Path parameters are encoded as single segments so no value can change the path,
 * except a {@code {+name}} parameter, a path of several segments (no dot segments allowed).
 */
public record Endpoint(String template, List<String> pathParams, Map<String, String> query) {

    public Endpoint {
        pathParams = List.copyOf(pathParams);
        query = Map.copyOf(new LinkedHashMap<>(query));
    }

    public static Endpoint of(String template, String... pathParams) {
        return new Endpoint(template, List.of(pathParams), Map.of());
    }

    public Endpoint withQuery(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(query);
        more.put(name, value);
        return new Endpoint(template, pathParams, more);
    }

    /** The path and query relative to the API root, e.g. {@code /repos/acme/app/issues?labels=x}. */
    public String relativeUri() {
        StringBuilder path = new StringBuilder();
        int next = 0;
        for (String part : template.split("(?=\\{)|(?<=\\})")) {
            if (part.startsWith("{") && part.endsWith("}")) {
                if (next >= pathParams.size()) {
                    throw new IllegalArgumentException("missing value for " + part + " in " + template);
                }
                String value = pathParams.get(next++);
                path.append(part.startsWith("{+") ? segments(value) : segment(value));
            } else {
                path.append(part);
            }
        }
        if (next != pathParams.size()) {
            throw new IllegalArgumentException("too many values for " + template);
        }
        if (!query.isEmpty()) {
            // Sorted, so the same request always has the same cache key.
            path.append('?').append(query.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                    .collect(Collectors.joining("&")));
        }
        return path.toString();
    }

    private static String segments(String value) {
        List<String> parts = List.of(value.split("/", -1));
        if (parts.stream().anyMatch(p -> p.isEmpty() || p.equals(".") || p.equals(".."))) {
            throw new IllegalArgumentException("not a relative file path: " + value);
        }
        return parts.stream().map(Endpoint::segment).collect(Collectors.joining("/"));
    }

    private static String segment(String value) {
        return encode(value).replace("+", "%20");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
