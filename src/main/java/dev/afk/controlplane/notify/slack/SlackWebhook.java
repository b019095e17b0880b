package dev.afk.controlplane.notify.slack;

import io.quarkus.rest.client.reactive.Url;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Slack's incoming webhook: each webhook is its own URL, and the URL is the credential. */
interface SlackWebhook {

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> post(@Url String webhook, String message);
}
