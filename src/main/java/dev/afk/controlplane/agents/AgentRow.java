package dev.afk.controlplane.agents;

import dev.afk.controlplane.agents.runtime.AgentSpec;
import dev.afk.controlplane.agents.runtime.RuntimeKind;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** An agent's durable identity: it exists because this row does, whatever the engine says. */
@Entity
@Table(name = "agent")
class AgentRow extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String name;

    public String owner;

    @Column(name = "runtime_kind")
    public String runtimeKind;

    public String harness;

    @Column(name = "node_type")
    public String nodeType;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "node_config")
    public Map<String, Object> nodeConfig;

    public String[] tags;

    @Column(name = "desired_state")
    public String desiredState;

    @Column(name = "max_parallel_tasks")
    public int maxParallelTasks;

    /** Whether an answer to one of its queue items starts it when it is stopped. */
    @Column(name = "wake_on_answer")
    public boolean wakeOnAnswer;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;

    @Column(name = "deleted_at")
    public OffsetDateTime deletedAt;

    RuntimeKind kind() {
        return RuntimeKind.fromWire(runtimeKind);
    }

    AgentSpec spec() {
        return new AgentSpec(name, owner, kind(), harness, nodeType, nodeConfig, tagList(), desiredState);
    }

    List<String> tagList() {
        return tags == null ? List.of() : List.of(tags);
    }
}
