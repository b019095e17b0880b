package dev.afk.controlplane.agents;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import dev.afk.controlplane.agents.runtime.AgentStatus;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;

/** Agent rows and shares in PostgreSQL. Soft-deleted rows are invisible here but keep their names. */
@ApplicationScoped
class AgentStore {

    private final Clock clock;

    AgentStore(Clock clock) {
        this.clock = clock;
    }

    /**
     * Live agents the viewer may see: all for an admin, else owned or shared with their e-mail.
     * Read-only: a listing never writes, so Hibernate keeps no snapshots to dirty-check.
     */
    @WithSession
    Uni<List<AgentRow>> visible(Viewer viewer) {
        String hql = viewer.admin() ? "from AgentRow where deletedAt is null order by name"
                : "from AgentRow where deletedAt is null and (owner = :name or id in "
                        + "(select s.agentId from AgentShareRow s where s.email = :email)) order by name";
        return Panache.getSession().flatMap(session -> {
            var query = session.createSelectionQuery(hql, AgentRow.class).setReadOnly(true);
            if (!viewer.admin()) {
                query.setParameter("name", viewer.name()).setParameter("email", viewer.email());
            }
            return query.getResultList();
        });
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

    /** Sets the desired state of the live agent of that name, if there is one. */
    @WithTransaction
    Uni<Boolean> setDesiredState(String name, String desiredState) {
        return AgentRow.update("desiredState = ?1, updatedAt = ?2 where name = ?3 and deletedAt is null",
                desiredState, OffsetDateTime.now(clock), name).map(n -> n > 0);
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
