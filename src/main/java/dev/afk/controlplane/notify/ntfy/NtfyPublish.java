package dev.afk.controlplane.notify.ntfy;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** ntfy's JSON publish: the message names its topic and goes to the server root. */
interface NtfyPublish {

    /** {@code authorization} is {@code null} for an open server: no header is sent then. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> publish(@HeaderParam("Authorization") String authorization, String message);
}
