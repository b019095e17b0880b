package dev.afk.controlplane.ci.woodpecker;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The Woodpecker routes a verdict and a step's log read; {@code authorization} is {@code null} without a token. */
@Produces(MediaType.APPLICATION_JSON)
interface WoodpeckerClient {

    @GET
    @Path("/api/repos/lookup/{owner}/{name}")
    Uni<Response> lookup(@HeaderParam("Authorization") String authorization, @PathParam("owner") String owner,
            @PathParam("name") String name);

    @GET
    @Path("/api/repos/{id}/pipelines")
    Uni<Response> pipelines(@HeaderParam("Authorization") String authorization, @PathParam("id") long repo,
            @QueryParam("branch") String branch, @QueryParam("page") int page, @QueryParam("perPage") int perPage);

    @GET
    @Path("/api/repos/{id}/pipelines/{number}")
    Uni<Response> pipeline(@HeaderParam("Authorization") String authorization, @PathParam("id") long repo,
            @PathParam("number") long number);
}
