package dev.afk.controlplane.afk.killswitch;

import dev.afk.controlplane.security.Roles;
import dev.afk.controlplane.common.DomainException;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/afk/kill-switch")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Kill switch", description = "The global stop for all dispatching")
public class KillSwitchResource {

    private final KillSwitch killSwitch;
    private final ActiveTurns activeTurns;
    private final SecurityIdentity identity;

    KillSwitchResource(KillSwitch killSwitch, ActiveTurns activeTurns, SecurityIdentity identity) {
        this.killSwitch = killSwitch;
        this.activeTurns = activeTurns;
        this.identity = identity;
    }

    /**
     * Body of a change. {@code engaged} and {@code reason} are required: a change without a reason
     * is not auditable. {@code interruptActiveTurns} (engage only) also interrupts every turn an
     * agent is running now.
     */
    public record Change(@NotNull Boolean engaged, @NotBlank @Size(max = 500) String reason, Boolean interruptActiveTurns) {

        boolean interrupt() {
            return Boolean.TRUE.equals(interruptActiveTurns);
        }
    }

    static final class InterruptNeedsEngage extends DomainException {
        InterruptNeedsEngage() {
            super(400, "interrupt-needs-engage", "Nothing to interrupt with",
                    "interruptActiveTurns goes with engaged: true; releasing the switch interrupts nothing");
        }
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Current state", description = "engaged is the effective value; forced means configuration holds it engaged")
    public Uni<KillSwitchState> get() {
        return killSwitch.state();
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Engage or release", description = "Audited with who, when and why. Once an engage is answered, "
            + "no executor command is sent (interrupts excepted); with interruptActiveTurns every running turn is interrupted "
            + "too, within 5 s, and its run escalates to a human")
    public Uni<KillSwitchState> put(@Valid @NotNull Change change) {
        if (change.interrupt() && !change.engaged()) {
            throw new InterruptNeedsEngage();
        }
        String by = identity.getPrincipal().getName();
        String reason = change.reason().strip();
        return killSwitch.set(change.engaged(), reason, by)
                .chain(state -> !change.interrupt() ? Uni.createFrom().item(state)
                        : activeTurns.interruptAll(by, reason).map(state::withInterruptedTurns));
    }

    @GET
    @Path("/history")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Audit trail", description = "Most recent changes first")
    public Uni<List<KillSwitchChange>> history(@QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        return killSwitch.history(limit);
    }
}
