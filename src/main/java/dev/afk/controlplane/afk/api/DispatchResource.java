package dev.afk.controlplane.afk.api;

import dev.afk.controlplane.afk.dispatch.DryRun;
import dev.afk.controlplane.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/afk/dispatch")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "AFK dispatch", description = "What the poller would do")
public class DispatchResource {

    private final DryRun dryRun;

    DispatchResource(DryRun dryRun) {
        this.dryRun = dryRun;
    }

    @GET
    @Path("/dry-run")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "What would dispatch now, and why not the others",
            description = "Every ready issue of every enrolled repository with the policy's verdict; changes nothing")
    public Uni<List<DryRun.RepoPlan>> dryRun() {
        return dryRun.plan();
    }
}
