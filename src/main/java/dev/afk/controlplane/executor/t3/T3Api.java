package dev.afk.controlplane.executor.t3;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The routes of T3's HTTP API this adapter uses (t3-api.md). Answers come back whole, whatever
 * their status: {@link T3Http} and its callers interpret them. {@code authorization} is the bearer
 * header, {@code null} when there is no token.
 */
@Produces(MediaType.APPLICATION_JSON)
interface T3Api {

    String AUTHORIZATION = "Authorization";

    @GET
    @Path("/.well-known/t3/environment")
    Uni<Response> environment();

    @GET
    @Path("/api/auth/session")
    Uni<Response> session(@HeaderParam(AUTHORIZATION) String authorization);

    /** 0.0.29+: the threads without their bodies. */
    @GET
    @Path("/api/orchestration/shell")
    Uni<Response> shell(@HeaderParam(AUTHORIZATION) String authorization);

    /** Before 0.0.29: the whole read model. */
    @GET
    @Path("/api/orchestration/snapshot")
    Uni<Response> snapshot(@HeaderParam(AUTHORIZATION) String authorization);

    @GET
    @Path("/api/orchestration/threads/{threadId}")
    Uni<Response> thread(@HeaderParam(AUTHORIZATION) String authorization, @PathParam("threadId") String threadId);

    @POST
    @Path("/api/orchestration/dispatch")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> dispatch(@HeaderParam(AUTHORIZATION) String authorization, String command);
}
