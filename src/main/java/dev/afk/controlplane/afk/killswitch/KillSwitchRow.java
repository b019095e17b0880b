package dev.afk.controlplane.afk.killswitch;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** The single row holding the global kill switch as operators last set it. */
@Entity
@Table(name = "kill_switch")
class KillSwitchRow extends PanacheEntityBase {

    static final short SINGLETON_ID = 1;

    @Id
    public short id;

    public boolean engaged;

    public String reason;

    @Column(name = "changed_by")
    public String changedBy;

    @Column(name = "changed_at")
    public OffsetDateTime changedAt;
}
