package dev.afk.controlplane.agents;

import dev.afk.controlplane.agents.channels.AgentChannels;
import dev.afk.controlplane.agents.channels.ChannelBinding;
import dev.afk.controlplane.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * An agent's own channels, rung for its queue items and notices besides the install's doorbell.
 * Managing them is managing the agent (its owner or an admin); anyone else gets the registry's 404.
 */
@Path("/api/agents/{name}/channels")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
@Tag(name = "Agents", description = "Container and native agents: listing, lifecycle, tasks, sharing")
public class ChannelResource {

    private final AgentCatalog catalog;
    private final AgentChannels channels;
    private final SecurityIdentity identity;

    ChannelResource(AgentCatalog catalog, AgentChannels channels, SecurityIdentity identity) {
        this.catalog = catalog;
        this.channels = channels;
        this.identity = identity;
    }

    /** Only the URL's form is checked here; what it may point at is the binding's own check. */
    public record SlackBinding(@NotBlank @Size(max = 500) String webhookUrl) {}

    public record NtfyBinding(@NotBlank @Size(max = 64) @Pattern(regexp = "[-_A-Za-z0-9]+") String topic,
            @Size(max = 500) String server) {}

    @GET
    @Operation(summary = "Its channels", description = "Owner or admin; a Slack webhook URL is shown masked")
    public Uni<List<ChannelBinding>> list(@PathParam("name") String name) {
        return catalog.managed(name, viewer()).flatMap(agent -> channels.list(agent.row().id));
    }

    @PUT
    @Path("/slack")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Bind it to a Slack incoming webhook", description = "Owner or admin; replaces its Slack binding")
    public Uni<ChannelBinding> bindSlack(@PathParam("name") String name, @Valid @NotNull SlackBinding body) {
        Viewer viewer = viewer();
        return catalog.managed(name, viewer)
                .flatMap(agent -> channels.bindSlack(agent.row().id, agent.row().name, body.webhookUrl(), viewer.name()));
    }

    @PUT
    @Path("/ntfy")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Bind it to an ntfy topic", description = "Owner or admin; on the install's ntfy server unless "
            + "server names one of the allowed others; replaces its ntfy binding")
    public Uni<ChannelBinding> bindNtfy(@PathParam("name") String name, @Valid @NotNull NtfyBinding body) {
        Viewer viewer = viewer();
        return catalog.managed(name, viewer)
                .flatMap(agent -> channels.bindNtfy(agent.row().id, agent.row().name, body.topic(), body.server(), viewer.name()));
    }

    @DELETE
    @Path("/{channel}")
    @Operation(summary = "Unbind a channel", description = "Owner or admin; what it still owed is not sent")
    public Uni<Response> unbind(@PathParam("name") String name,
            @PathParam("channel") @Pattern(regexp = "slack|ntfy") String channel) {
        Viewer viewer = viewer();
        return catalog.managed(name, viewer)
                .flatMap(agent -> channels.unbind(agent.row().id, agent.row().name, channel, viewer.name()))
                .map(done -> Response.noContent().build());
    }

    private Viewer viewer() {
        return Viewer.of(identity);
    }
}
