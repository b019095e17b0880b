package dev.afk.controlplane.executor.t3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

/** T3's answer: status, content type and body as text. */
record T3Response(int status, String contentType, String body) {

    /** 0.0.27 answers unknown routes with the web UI's HTML and 200, so the type tells them apart. */
    boolean isJson() {
        return contentType != null && contentType.toLowerCase().startsWith("application/json");
    }

    boolean hasEmptyBody() {
        return body == null || body.isBlank();
    }

    /** The body as JSON, or a missing node when it is not JSON. */
    JsonNode json(ObjectMapper mapper) {
        if (!isJson() || hasEmptyBody()) {
            return MissingNode.getInstance();
        }
        try {
            return mapper.readTree(body);
        } catch (Exception e) {
            return MissingNode.getInstance();
        }
    }

    /** The typed error's {@code reason} (or {@code code}) field, empty when there is none. */
    String errorReason(ObjectMapper mapper) {
        JsonNode json = json(mapper);
        return json.path("reason").asText(json.path("code").asText(""));
    }
}
