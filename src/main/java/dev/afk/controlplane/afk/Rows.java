package dev.afk.controlplane.afk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.json.Json;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.pgclient.PgException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.StreamSupport;

/** Small conversions the pipeline's SQL stores share. */
public final class Rows {

    private Rows() {}

    public static OffsetDateTime at(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    public static Instant instant(OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }

    public static <T> Optional<T> first(RowSet<Row> rows, Function<Row, T> map) {
        var it = rows.iterator();
        return it.hasNext() ? Optional.of(map.apply(it.next())) : Optional.empty();
    }

    public static <T> List<T> all(RowSet<Row> rows, Function<Row, T> map) {
        return StreamSupport.stream(rows.spliterator(), false).map(map).toList();
    }

    public static boolean uniqueViolation(Throwable e) {
        return e instanceof PgException pg && "23505".equals(pg.getSqlState());
    }

    /**
     * A value as a JSON document for a {@code jsonb} parameter. A Java string would be stored as a
     * JSON string holding encoded JSON; the client stores Vert.x' JSON objects and arrays as documents.
     */
    public static Object jsonb(ObjectMapper json, Object value) {
        try {
            return value == null ? null : Json.decodeValue(json.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A {@code jsonb} column read back as {@code type}; null stays null. */
    public static <T> T fromJsonb(ObjectMapper json, Row row, String column, JavaType type) {
        Object value = row.getValue(column);
        try {
            return value == null ? null : json.readValue(value.toString(), type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(column + " holds JSON this release cannot read", e);
        }
    }
}
