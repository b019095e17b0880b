package dev.afk.controlplane.status;

import dev.afk.controlplane.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/afk/overview")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Status", description = "The install at a glance")
public class OverviewResource {

    private final OverviewService overview;

    OverviewResource(OverviewService overview) {
        this.overview = overview;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Status at a glance", description = "Runs by state, active and recently finished runs, labelled issues "
            + "and why they wait, repositories paused or frozen, the last errors, and the health of executor, tracker and doorbell")
    public Uni<Overview> get() {
        return overview.overview();
    }
}
