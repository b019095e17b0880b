package dev.afk.controlplane.agents;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** An agent shared with a person, by e-mail (lower-cased; the person need not have logged in yet). */
@Entity
@Table(name = "agent_share")
class AgentShareRow extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "agent_id")
    public long agentId;

    public String email;

    @Column(name = "shared_by")
    public String sharedBy;

    @Column(name = "shared_at")
    public OffsetDateTime sharedAt;
}
