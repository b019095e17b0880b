package dev.afk.controlplane.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.net.URI;
import java.util.List;

/** RFC 9457 problem details. {@code errors} lists field violations for validation problems. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(URI type, String title, int status, String detail, String instance, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "urn:afk:problem:";

    public static Problem of(int status, String typeSlug, String title, String detail, String instance) {
        return new Problem(URI.create(TYPE_BASE + typeSlug), title, status, detail, instance, null);
    }

    public Problem withErrors(List<FieldError> fieldErrors) {
        return new Problem(type, title, status, detail, instance, fieldErrors);
    }

    @RegisterForReflection
    public record FieldError(String field, String message) {}
}
