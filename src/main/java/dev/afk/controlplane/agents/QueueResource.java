package dev.afk.controlplane.agents;

import dev.afk.controlplane.agents.queue.OperatorQueue;
import dev.afk.controlplane.agents.queue.QueueFilter;
import dev.afk.controlplane.agents.queue.QueueItem;
import dev.afk.controlplane.agents.queue.QueueProblem;
import dev.afk.controlplane.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The operator queue over every agent. Access follows the agent's: whoever may see an agent sees
 * its items; its owner, an admin, or the person or role an item is addressed to may answer it.
 * "No such item" and "not yours" are the same 404.
 */
@Path("/api/queue")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
@Tag(name = "Operator queue", description = "Questions, approvals and alerts raised by agents, and their answers")
public class QueueResource {

    private final OperatorQueue queue;
    private final AgentCatalog catalog;
    private final SecurityIdentity identity;

    QueueResource(OperatorQueue queue, AgentCatalog catalog, SecurityIdentity identity) {
        this.queue = queue;
        this.catalog = catalog;
        this.identity = identity;
    }

    public record Answer(@NotBlank @Size(max = 4000) String answer) {}

    public record ItemPage(List<QueueItem> items, int page, int size, long total) {}

    @GET
    @Operation(summary = "List queue items", description = "Items of the agents you may see, newest first")
    public Uni<ItemPage> list(@QueryParam("agent") @Pattern(regexp = AgentNames.PATTERN) String agent,
            @QueryParam("kind") @Pattern(regexp = "question|approval|alert") String kind,
            @QueryParam("state") @Pattern(regexp = "pending|answered|dismissed|expired") String state,
            @QueryParam("addressee") @Size(max = 330) @Pattern(regexp = "owner|person:[^\\s@]+@\\S+|role:[a-z][a-z0-9-]*") String addressee,
            @QueryParam("page") @DefaultValue("0") @Min(0) @Max(100_000) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size) {
        Viewer viewer = viewer();
        return queue.list(viewer.admin(), viewer.name(), viewer.email(),
                new QueueFilter(agent, kind, state, addressee, page, size))
                .map(p -> new ItemPage(p.items(), p.page(), p.size(), p.total()));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One queue item")
    public Uni<QueueItem> get(@PathParam("id") String id) {
        return visible(id).map(Access::item);
    }

    @POST
    @Path("/{id}/answer")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Answer an item", description = "Once; the answer is relayed to the agent at most once. "
            + "A choice takes one of its options; an alert takes no answer (dismiss it)")
    public Uni<QueueItem> answer(@PathParam("id") String id, @Valid @NotNull Answer body) {
        return visible(id).flatMap(access -> queue.answer(access.answerable(), body.answer(), access.viewer().name()));
    }

    @POST
    @Path("/{id}/dismiss")
    @Operation(summary = "Dismiss an item", description = "A pending item is closed without an answer; nothing is relayed")
    public Uni<QueueItem> dismiss(@PathParam("id") String id) {
        return visible(id).flatMap(access -> queue.dismiss(access.answerable(), access.viewer().name()));
    }

    /** An item the viewer may see, and whether they may act on it. */
    private record Access(QueueItem item, Viewer viewer, boolean manageable) {

        QueueItem answerable() {
            String to = item.addressee();
            boolean addressed = to.equals("person:" + viewer.email())
                    || (to.equals("role:operator") && viewer.operator()) || (to.equals("role:admin") && viewer.admin());
            if (!manageable && !addressed) {
                throw QueueProblem.notAnswerable();
            }
            return item;
        }
    }

    private Uni<Access> visible(String id) {
        Viewer viewer = viewer();
        return queue.find(itemId(id)).flatMap(item -> catalog.visible(item.agent(), viewer)
                .onFailure(RegistryProblem.class).transform(e -> QueueProblem.notFound())
                .map(agent -> new Access(item, viewer, agent.manageable())));
    }

    private Viewer viewer() {
        return Viewer.of(identity);
    }

    private static UUID itemId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw QueueProblem.notFound();
        }
    }
}
