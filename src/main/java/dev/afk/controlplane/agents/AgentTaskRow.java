package dev.afk.controlplane.agents;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One task execution, for either runtime kind. Its status only moves forward (see {@link TaskStore}). */
@Entity
@Table(name = "agent_task")
class AgentTaskRow extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "agent_id")
    public long agentId;

    public String status;

    public String trigger;

    @Column(name = "requested_by")
    public String requestedBy;

    public String message;

    public String result;

    @Column(name = "error_code")
    public String errorCode;

    public String error;

    @Column(name = "routed_to")
    public String routedTo;

    @Column(name = "parent_id")
    public UUID parentId;

    @Column(name = "queued_at")
    public OffsetDateTime queuedAt;

    @Column(name = "started_at")
    public OffsetDateTime startedAt;

    @Column(name = "finished_at")
    public OffsetDateTime finishedAt;

    /** The replica executing it, which renews {@link #leaseUntil} while it runs. */
    /** What its model calls used (node types that ask a model), else null. */
    public String model;

    @Column(name = "input_tokens")
    public Long inputTokens;

    @Column(name = "output_tokens")
    public Long outputTokens;

    @Column(name = "cost_usd")
    public BigDecimal costUsd;

    @Column(name = "claimed_by")
    public String claimedBy;

    @Column(name = "lease_until")
    public OffsetDateTime leaseUntil;
}
