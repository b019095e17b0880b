package dev.afk.controlplane.agents;

import dev.afk.controlplane.agents.container.AgentContainer;
import dev.afk.controlplane.agents.container.ContainerEngine;
import dev.afk.controlplane.agents.container.ContainerStats;
import dev.afk.controlplane.agents.container.LogLine;
import dev.afk.controlplane.agents.runtime.Feature;
import dev.afk.controlplane.agents.runtime.RuntimeKind;
import dev.afk.controlplane.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The agent registry: one API over container and native agents. Every route about one agent
 * answers the same 404 for "no such agent" and "not yours".
 */
@Path("/api/agents")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
@Tag(name = "Agents", description = "Container and native agents: listing, lifecycle, tasks, sharing")
public class AgentResource {

    private final AgentCatalog catalog;
    private final AgentRegistry registry;
    private final TaskService tasks;
    private final ContainerEngine engine;
    private final SecurityIdentity identity;

    AgentResource(AgentCatalog catalog, AgentRegistry registry, TaskService tasks, ContainerEngine engine,
            SecurityIdentity identity) {
        this.catalog = catalog;
        this.registry = registry;
        this.tasks = tasks;
        this.engine = engine;
        this.identity = identity;
    }

    /** Body of a new native agent. */
    public record NewAgent(@NotBlank @Pattern(regexp = AgentNames.PATTERN) String name,
            @Pattern(regexp = "native", message = "only native agents are created here; adopt a container instead") String runtimeKind,
            @NotBlank String nodeType, Map<String, Object> config,
            @Size(max = 20) List<@NotBlank @Size(max = 50) String> tags, @Min(1) @Max(100) Integer maxParallelTasks) {}

    /** Body of an adoption: a row for an existing labelled container. */
    public record Adoption(@NotBlank @Pattern(regexp = AgentNames.PATTERN) String name, @Size(max = 200) String owner,
            @Size(max = 20) List<@NotBlank @Size(max = 50) String> tags, @Min(1) @Max(100) Integer maxParallelTasks) {}

    public record NewTask(@NotBlank @Size(max = 100_000) String message) {}

    /** Per-agent settings. */
    public record Settings(@NotNull Boolean wakeOnAnswer) {}

    public record NewShare(@NotBlank @Email @Size(max = 320) String email) {}

    public record Logs(String agent, List<LogLine> lines) {}

    @GET
    @Operation(summary = "List agents", description = "Database rows ∪ labelled containers. An unavailable engine leaves "
            + "container agents with status unknown and is named in 'unavailable'. Orphan containers: admins only.")
    public Uni<AgentPage> list(@QueryParam("kind") @Pattern(regexp = "container|native") String kind,
            @QueryParam("status") @Size(max = 30) @Pattern(regexp = "[a-z-]*", message = "must be a status such as running") String status,
            @QueryParam("tags") @Size(max = 500) @Pattern(regexp = "\\P{Cntrl}*", message = "must not contain control characters") String tags,
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size) {
        Set<String> tagSet = tags == null ? Set.of() : Arrays.stream(tags.split(",")).map(String::strip)
                .filter(t -> !t.isEmpty()).collect(Collectors.toSet());
        return catalog.list(viewer(), new ListQuery(RuntimeKind.fromWire(kind), status, tagSet, page, size));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a native agent", description = "Owned by the caller; stopped until started")
    public Uni<Response> create(@Valid @NotNull NewAgent body, UriInfo uri) {
        return registry.createNative(viewer(), body.name(), body.nodeType(), body.config(), body.tags(), body.maxParallelTasks())
                .map(created -> Response.created(uri.getAbsolutePathBuilder().path(created.agent().name()).build())
                        .entity(created).build());
    }

    @POST
    @Path("/adopt")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Adopt a container", description = "Gives an existing labelled container a database row "
            + "(owner defaults to the caller), so it is no longer an orphan")
    public Uni<Response> adopt(@Valid @NotNull Adoption body, UriInfo uri) {
        return registry.adopt(viewer(), body.name(), body.owner(), body.tags(), body.maxParallelTasks())
                .map(created -> Response.created(uri.getBaseUriBuilder().path("api/agents").path(created.agent().name()).build())
                        .entity(created).build());
    }

    @GET
    @Path("/{name}")
    @Operation(summary = "One agent", description = "Summary plus features, capacity, permissions and (for its owner) shares")
    public Uni<AgentDetail> get(@PathParam("name") String name) {
        return registry.detail(name, viewer());
    }

    @DELETE
    @Path("/{name}")
    @Operation(summary = "Soft-delete an agent", description = "Owner or admin. Cancels its tasks; the name stays reserved")
    public Uni<Response> delete(@PathParam("name") String name) {
        return catalog.managed(name, viewer()).flatMap(registry::delete).map(done -> Response.noContent().build());
    }

    @POST
    @Path("/{name}/start")
    @Operation(summary = "Start", description = "Owner or admin. Container: engine start; native: desired state running. "
            + "An agent the service keeps for a repository also needs the operator role: it resumes the repository")
    public Uni<AgentState> start(@PathParam("name") String name) {
        return catalog.managed(name, viewer()).flatMap(agent -> registry.start(agent, viewer()));
    }

    @POST
    @Path("/{name}/stop")
    @Operation(summary = "Stop", description = "Owner or admin. Container: engine stop; native: desired state stopped. "
            + "An agent the service keeps for a repository also needs the operator role: it pauses the repository")
    public Uni<AgentState> stop(@PathParam("name") String name) {
        return catalog.managed(name, viewer()).flatMap(agent -> registry.stop(agent, viewer()));
    }

    @GET
    @Path("/{name}/status")
    @Operation(summary = "Run state", description = "Current status and the desired state")
    public Uni<AgentState> status(@PathParam("name") String name) {
        return catalog.visible(name, viewer()).flatMap(registry::state);
    }

    @POST
    @Path("/{name}/tasks")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Give it a task", description = "202 with the queued task; 409 when not running, 429 when full")
    public Uni<Response> submit(@PathParam("name") String name, @Valid @NotNull NewTask body, UriInfo uri) {
        return catalog.visible(name, viewer())
                .flatMap(agent -> tasks.submit(agent, body.message(), viewer().name()))
                .map(task -> Response.accepted(task)
                        .location(uri.getAbsolutePathBuilder().path(task.id().toString()).build()).build());
    }

    @GET
    @Path("/{name}/tasks")
    @Operation(summary = "Recent tasks", description = "Most recent first")
    public Uni<List<TaskView>> tasks(@PathParam("name") String name,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        return catalog.visible(name, viewer()).flatMap(agent -> tasks.recent(agent, limit));
    }

    @GET
    @Path("/{name}/tasks/{id}")
    @Operation(summary = "One task")
    public Uni<TaskView> task(@PathParam("name") String name, @PathParam("id") String id) {
        return catalog.visible(name, viewer()).flatMap(agent -> tasks.get(agent, taskId(id)));
    }

    @POST
    @Path("/{name}/tasks/{id}/cancel")
    @Operation(summary = "Cancel a task", description = "Queued or running tasks; a finished task is a 409")
    public Uni<TaskView> cancel(@PathParam("name") String name, @PathParam("id") String id) {
        return catalog.visible(name, viewer()).flatMap(agent -> tasks.cancel(agent, taskId(id)));
    }

    @PUT
    @Path("/{name}/settings")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change its settings", description = "Owner or admin. wakeOnAnswer: an answer to one of its "
            + "queue items starts it when it is stopped (off by default)")
    public Uni<AgentDetail> settings(@PathParam("name") String name, @Valid @NotNull Settings body) {
        return catalog.managed(name, viewer()).flatMap(agent -> registry.settings(agent, viewer(), body.wakeOnAnswer()));
    }

    @GET
    @Path("/{name}/shares")
    @Operation(summary = "Who it is shared with", description = "Owner or admin")
    public Uni<List<AgentShare>> shares(@PathParam("name") String name) {
        return catalog.managed(name, viewer()).flatMap(registry::shares);
    }

    @POST
    @Path("/{name}/shares")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Share it", description = "Owner or admin; by e-mail (the person need not exist yet)")
    public Uni<Response> share(@PathParam("name") String name, @Valid @NotNull NewShare body) {
        return catalog.managed(name, viewer())
                .flatMap(agent -> registry.share(agent, body.email(), viewer()))
                .map(share -> Response.status(Response.Status.CREATED).entity(share).build());
    }

    @DELETE
    @Path("/{name}/shares/{email}")
    @Operation(summary = "Stop sharing it", description = "Owner or admin")
    public Uni<Response> unshare(@PathParam("name") String name, @PathParam("email") String email) {
        return catalog.managed(name, viewer())
                .flatMap(agent -> registry.unshare(agent, email))
                .map(removed -> Response.noContent().build());
    }

    @GET
    @Path("/{name}/logs")
    @Operation(summary = "Container logs", description = "Container agents only; stdout and stderr, demultiplexed")
    public Uni<Logs> logs(@PathParam("name") String name, @QueryParam("tail") @DefaultValue("100") @Min(1) @Max(10_000) int tail) {
        return catalog.visible(name, viewer())
                .map(agent -> registry.requireContainer(agent, Feature.LOGS))
                .flatMap(agent -> engine.logs(AgentContainer.containerName(agent.name()), tail)
                        .map(lines -> new Logs(agent.name(), lines)));
    }

    @GET
    @Path("/{name}/stats")
    @Operation(summary = "Container resource usage", description = "Container agents only; one sample")
    public Uni<ContainerStats> stats(@PathParam("name") String name) {
        return catalog.visible(name, viewer())
                .map(agent -> registry.requireContainer(agent, Feature.STATS))
                .flatMap(agent -> engine.stats(AgentContainer.containerName(agent.name())));
    }

    private Viewer viewer() {
        return Viewer.of(identity);
    }

    private static UUID taskId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw RegistryProblem.taskNotFound();
        }
    }
}
