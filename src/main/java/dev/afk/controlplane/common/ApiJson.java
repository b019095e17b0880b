package dev.afk.controlplane.common;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import jakarta.ws.rs.ConstrainedTo;
import jakarta.ws.rs.RuntimeType;
import jakarta.ws.rs.ext.ContextResolver;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * The REST API's JSON: the service's ObjectMapper, stricter about what clients send. A value must
 * have its declared JSON type ({@code "engaged": 0} or {@code "false"} is not a boolean, {@code "5"}
 * is not a number); no string may carry a control character other than tab and line breaks
 * (PostgreSQL refuses NUL; the others are never meant); an unknown field is an error, not silently
 * dropped (a misspelt optional field would be). Adapters reading other services keep the lenient
 * mapper: their text is not ours to refuse.
 */
@Provider
@ConstrainedTo(RuntimeType.SERVER)
public class ApiJson implements ContextResolver<ObjectMapper> {

    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F]");

    private final ObjectMapper mapper;

    public ApiJson(ObjectMapper service) {
        mapper = strict(service);
    }

    @Override
    public ObjectMapper getContext(Class<?> type) {
        return mapper;
    }

    static ObjectMapper strict(ObjectMapper service) {
        ObjectMapper strict = service.copy();
        strict.configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false);
        strict.configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);
        strict.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        strict.coercionConfigDefaults().setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        // Text stays text: strings may still become strings, enums and other textual types.
        for (LogicalType textual : new LogicalType[] {LogicalType.Textual, LogicalType.Enum, LogicalType.OtherScalar}) {
            strict.coercionConfigFor(textual).setCoercion(CoercionInputShape.String, CoercionAction.TryConvert);
        }
        strict.registerModule(new SimpleModule("afk-api-text").addDeserializer(String.class, new PlainText()));
        return strict;
    }

    /** Strings without control characters. */
    static final class PlainText extends StringDeserializer {
        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String text = super.deserialize(p, ctxt);
            if (text != null && CONTROL.matcher(text).find()) {
                throw ctxt.weirdStringException(text, String.class, "must not contain control characters");
            }
            return text;
        }
    }
}
