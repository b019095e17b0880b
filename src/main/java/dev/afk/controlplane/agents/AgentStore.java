package dev.afk.controlplane.agents;

import dev.afk.controlplane.agents.container.AgentContainer;
import dev.afk.controlplane.agents.container.EngineListing;
import dev.afk.controlplane.agents.runtime.AgentStatus;
import dev.afk.controlplane.agents.runtime.RuntimeKind;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import dev.afk.controlplane.agents.runtime.AgentStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Agent rows and shares in PostgreSQL. Soft-deleted rows are invisible here but keep their names. */
@ApplicationScoped
class AgentStore {

    private final Clock clock;
    private final Pool pool;

    AgentStore(Clock clock, Pool pool) {
        this.clock = clock;
        this.pool = pool;
    }

    /**
     * One page of the list: the live rows the viewer may see (all for an admin, else owned or
     * shared with their e-mail) joined with the engine's containers by name, plus, for an admin,
     * the containers no live row claims (orphans); filtered, counted and paged by PostgreSQL.
     * Statuses as {@link AgentMerge#view} gives them.
     */
    Uni<AgentPage> page(Viewer viewer, ListQuery query, EngineListing engine) {
        List<AgentContainer> containers = engine.containers();
        int n = containers.size();
        String[] names = new String[n], statuses = new String[n], ids = new String[n], images = new String[n],
                harnesses = new String[n];
        OffsetDateTime[] created = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            AgentContainer c = containers.get(i);
            names[i] = c.agentName();
            statuses[i] = c.status();
            ids[i] = c.id();
            images[i] = c.image();
            harnesses[i] = c.harness();
            created[i] = c.created() == null ? null : c.created().atOffset(ZoneOffset.UTC);
        }
        Tuple args = Tuple.tuple()
                .addArrayOfString(names).addArrayOfString(statuses).addArrayOfString(ids).addArrayOfString(images)
                .addArrayOfString(harnesses).addArrayOfOffsetDateTime(created)
                .addBoolean(engine.available()).addBoolean(viewer.admin()).addString(viewer.name()).addString(viewer.email())
                .addString(query.kind() == null ? null : query.kind().wire()).addString(query.status())
                .addArrayOfString(query.tags().toArray(String[]::new))
                .addInteger(query.size()).addLong((long) query.page() * query.size());
        return pool.preparedQuery(PAGE).execute(args).map(rows -> {
            List<AgentView> items = new ArrayList<>();
            int total = 0;
            for (Row row : rows) {
                total = row.getInteger("total");
                if (row.getString("name") != null) {
                    items.add(listed(row));
                }
            }
            return new AgentPage(items, query.page(), query.size(), total, null, null);
        });
    }

    // $1..$6 the containers, $7 engine available, $8 admin, $9 name, $10 e-mail, $11 kind, $12 status,
    // $13 any of these tags, $14 page size, $15 offset. "C" collation: names sort as in Java.
    private static final String PAGE = """
            with c as (
                select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])
                    as c (name, status, id, image, harness, created_at)),
            listed as (
                select a.name, a.runtime_kind, a.harness, a.node_type, a.owner, a.tags, a.desired_state, false as orphan,
                       c.id as container_id, c.image, a.created_at,
                       case when a.runtime_kind = 'native' then a.desired_state
                            when c.name is not null then c.status
                            when $7 then 'missing'
                            else 'unknown' end as status
                from agent a left join c on c.name = a.name
                where a.deleted_at is null
                  and ($8 or a.owner = $9
                       or exists (select 1 from agent_share s where s.agent_id = a.id and s.email = $10))
                union all
                select c.name, 'container', c.harness, null, null, '{}'::text[], null, true,
                       c.id, c.image, c.created_at, c.status
                from c
                where $8 and not exists (select 1 from agent a where a.name = c.name and a.deleted_at is null)),
            matching as (
                select * from listed
                where ($11::text is null or runtime_kind = $11)
                  and ($12::text is null or status = $12)
                  and (cardinality($13::text[]) = 0 or tags && $13::text[]))
            select counted.total, p.*
            from (select count(*)::int as total from matching) counted
            left join (select * from matching order by name collate "C" limit $14 offset $15) p on true
            order by p.name collate "C"
            """;

    private static AgentView listed(Row row) {
        String status = row.getString("status");
        String[] tags = row.getArrayOfStrings("tags");
        OffsetDateTime created = row.getOffsetDateTime("created_at");
        return new AgentView(row.getString("name"), RuntimeKind.fromWire(row.getString("runtime_kind")),
                row.getString("harness"), row.getString("node_type"), row.getString("owner"),
                tags == null ? List.of() : List.of(tags), status, row.getString("desired_state"),
                AgentStatus.MISSING.equals(status), row.getBoolean("orphan"), row.getString("container_id"),
                row.getString("image"), created == null ? null : created.toInstant());
    }

    /** The live agent of that name, or null. */
    @WithSession
    Uni<AgentRow> findLive(String name) {
        return AgentRow.find("name = ?1 and deletedAt is null", name).firstResult();
    }

    /** Live agents of a node type whose desired state is running. */
    @WithSession
    Uni<List<AgentRow>> runningOfNodeType(String nodeType) {
        return AgentRow.list("nodeType = ?1 and desiredState = ?2 and deletedAt is null order by name", nodeType,
                AgentStatus.RUNNING);
    }

    /** Whether the name was ever used, deleted agents included. */
    @WithSession
    Uni<Boolean> nameUsed(String name) {
        return AgentRow.count("name", name).map(n -> n > 0);
    }

    @WithSession
    Uni<List<AgentRow>> ownedBy(String owner) {
        return AgentRow.list("deletedAt is null and owner = ?1 order by name", owner);
    }

    @WithSession
    Uni<Boolean> sharedWith(long agentId, String email) {
        return AgentShareRow.count("agentId = ?1 and email = ?2", agentId, email).map(n -> n > 0);
    }

    /** Stores a new agent; its name must never have been used, deleted agents included. */
    @WithTransaction
    Uni<AgentRow> create(AgentRow row) {
        return AgentRow.count("name", row.name).flatMap(existing -> {
            if (existing > 0) {
                return Uni.createFrom().failure(RegistryProblem.nameTaken(row.name));
            }
            OffsetDateTime now = OffsetDateTime.now(clock);
            row.createdAt = now;
            row.updatedAt = now;
            return row.<AgentRow>persist();
        });
    }

    @WithTransaction
    Uni<AgentRow> setDesiredState(long id, String desiredState) {
        return AgentRow.<AgentRow>findById(id).invoke(row -> {
            row.desiredState = desiredState;
            row.updatedAt = OffsetDateTime.now(clock);
        });
    }

    @WithTransaction
    Uni<AgentRow> setWakeOnAnswer(long id, boolean wake) {
        return AgentRow.<AgentRow>findById(id).invoke(row -> {
            row.wakeOnAnswer = wake;
            row.updatedAt = OffsetDateTime.now(clock);
        });
    }

    /** Sets the desired state of the live agent of that name, if there is one and it is the one meant. */
    @WithTransaction
    Uni<Boolean> setDesiredState(String name, String desiredState, Predicate<AgentRow> meant) {
        return AgentRow.<AgentRow>find("name = ?1 and deletedAt is null", name).firstResult().map(row -> {
            if (row == null || !meant.test(row)) {
                return false;
            }
            row.desiredState = desiredState;
            row.updatedAt = OffsetDateTime.now(clock);
            return true;
        });
    }

    /** Marks it deleted; the name stays taken. */
    @WithTransaction
    Uni<Void> softDelete(long id) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return AgentRow.update("deletedAt = ?1, updatedAt = ?1, desiredState = 'stopped' where id = ?2", now, id)
                .replaceWithVoid();
    }

    @WithSession
    Uni<List<AgentShareRow>> shares(long agentId) {
        return AgentShareRow.list("agentId = ?1 order by email", agentId);
    }

    /** Shares it with {@code email}; sharing twice keeps the first share. */
    @WithTransaction
    Uni<AgentShareRow> share(long agentId, String email, String sharedBy) {
        return AgentShareRow.<AgentShareRow>find("agentId = ?1 and email = ?2", agentId, email).firstResult()
                .flatMap(existing -> {
                    if (existing != null) {
                        return Uni.createFrom().item(existing);
                    }
                    AgentShareRow share = new AgentShareRow();
                    share.agentId = agentId;
                    share.email = email;
                    share.sharedBy = sharedBy;
                    share.sharedAt = OffsetDateTime.now(clock);
                    return share.<AgentShareRow>persist();
                });
    }

    @WithTransaction
    Uni<Boolean> unshare(long agentId, String email) {
        return AgentShareRow.delete("agentId = ?1 and email = ?2", agentId, email).map(n -> n > 0);
    }
}
