package dev.afk.controlplane.afk.api;

import dev.afk.controlplane.afk.runs.Run;
import dev.afk.controlplane.afk.runs.RunProblems;
import dev.afk.controlplane.afk.runs.RunService;
import dev.afk.controlplane.afk.runs.RunSettings;
import dev.afk.controlplane.afk.runs.RunState;
import dev.afk.controlplane.afk.runs.RunStore;
import dev.afk.controlplane.common.DomainException;
import dev.afk.controlplane.common.RunId;
import dev.afk.controlplane.security.Roles;
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
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/afk/runs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "AFK runs", description = "Issue runs: list, inspect, retry, cancel, answer")
public class RunResource {

    private final RunService runs;
    private final SecurityIdentity identity;

    RunResource(RunService runs, SecurityIdentity identity) {
        this.runs = runs;
        this.identity = identity;
    }

    public record Answer(@NotBlank @Size(max = 10_000) String answer) {}

    /** A run with its prompt, settings, timeline and effects. */
    public record RunDetail(RunView run, String prompt, RunSettings settings, List<RunStore.Event> timeline,
            List<RunStore.StoredEffect> effects) {}

    static final class BadState extends DomainException {
        BadState(String state) {
            super(400, "bad-run-state", "Unknown run state", "'" + state + "' is not one of " + List.of(RunState.values()));
        }
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Runs, newest first", description = "Filter by repository (owner/name) and state")
    public Uni<List<RunView>> list(@QueryParam("repo") String repo, @QueryParam("state") String state,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        return runs.list(repo == null ? null : RepoResource.slug(repo), state == null ? null : state(state), limit)
                .map(all -> all.stream().map(this::view).toList());
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "A run with its full timeline")
    public Uni<RunDetail> get(@PathParam("id") String id) {
        return runs.detail(runId(id)).map(d -> new RunDetail(RunView.of(d.run(), d.threadLink()), d.run().prompt(),
                d.run().settings(), d.timeline(), d.effects()));
    }

    @POST
    @Path("/{id}/retry")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Retry a finished run", description = "Queues a new run of the same issue; answers it with 201")
    public Uni<Response> retry(@PathParam("id") String id) {
        return runs.retry(runId(id), identity.getPrincipal().getName())
                .map(run -> Response.created(URI.create("/api/afk/runs/" + run.id())).entity(view(run)).build());
    }

    @POST
    @Path("/{id}/cancel")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Cancel an active run", description = "Interrupts the agent and releases the issue")
    public Uni<RunView> cancel(@PathParam("id") String id) {
        return runs.cancel(runId(id), identity.getPrincipal().getName()).map(this::view);
    }

    @POST
    @Path("/{id}/answer")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Answer the agent's question", description = "Relayed to the executor's thread; approvals take accept or decline")
    public Uni<RunView> answer(@PathParam("id") String id, @Valid @NotNull Answer body) {
        return runs.answer(runId(id), body.answer().strip(), identity.getPrincipal().getName()).map(this::view);
    }

    private RunView view(Run run) {
        return RunView.of(run, runs.link(run));
    }

    /** Run ids are UUIDs: anything else in the path cannot name a run. */
    private static RunId runId(String id) {
        try {
            return RunId.parse(id);
        } catch (IllegalArgumentException e) {
            throw new RunProblems.NotFound(id);
        }
    }

    private static RunState state(String name) {
        try {
            return RunState.valueOf(name.toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new BadState(name);
        }
    }
}
