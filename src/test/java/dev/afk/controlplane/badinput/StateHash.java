package dev.afk.controlplane.badinput;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** A digest of every table of the service's schema, so that "changed nothing" is checked, not assumed. */
final class StateHash {

    private StateHash() {}

    static Map<String, String> of(Pool pool) {
        List<String> tables = pool.query("select table_name from information_schema.tables "
                        + "where table_schema = current_schema() and table_type = 'BASE TABLE' order by 1")
                .execute().await().atMost(Duration.ofSeconds(10))
                .stream().map(row -> row.getString(0)).toList();
        String digests = tables.stream()
                .map(table -> "select '" + table.replace("'", "''") + "', md5(coalesce(string_agg(t::text, '|' order by t::text), ''))"
                        + " from \"" + table.replace("\"", "\"\"") + "\" t")
                .collect(Collectors.joining(" union all "));
        Map<String, String> hashes = new TreeMap<>();
        for (Row row : pool.query(digests).execute().await().atMost(Duration.ofSeconds(10))) {
            hashes.put(row.getString(0), row.getString(1));
        }
        return hashes;
    }
}
