package dev.afk.controlplane.afk.api;

import dev.afk.controlplane.afk.PipelineConfig;
import dev.afk.controlplane.afk.dispatch.ReleaseStore;
import dev.afk.controlplane.afk.repos.Caps;
import dev.afk.controlplane.afk.repos.Repo;
import dev.afk.controlplane.afk.repos.RepoLabels;
import dev.afk.controlplane.afk.repos.RepoService;
import dev.afk.controlplane.afk.repos.RepoStore;
import dev.afk.controlplane.ci.CiVerdicts.Stage;
import dev.afk.controlplane.common.DomainException;
import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/afk/repos")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "AFK repositories", description = "Enrollment and the per-repository levers")
public class RepoResource {

    private final RepoService repos;
    private final ReleaseStore releases;
    private final Pool pool;
    private final PipelineConfig config;
    private final SecurityIdentity identity;
    private final Clock clock;

    RepoResource(RepoService repos, ReleaseStore releases, Pool pool, PipelineConfig config, SecurityIdentity identity,
            Clock clock) {
        this.repos = repos;
        this.releases = releases;
        this.pool = pool;
        this.config = config;
        this.identity = identity;
        this.clock = clock;
    }

    static final class BadSlug extends DomainException {
        BadSlug(String slug) {
            super(400, "bad-repo-slug", "Not a repository", "'" + slug + "' is not an owner/name repository slug");
        }
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Enrolled repositories")
    public Uni<List<RepoView>> list() {
        return repos.list().map(all -> all.stream().map(RepoView::of).toList());
    }

    @GET
    @Path("/{owner}/{name}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "One enrolled repository", description = "refusedReleases: ready issues dispatch refuses because "
            + "their title or body changed after the trusted label")
    public Uni<RepoView> get(@PathParam("owner") String owner, @PathParam("name") String name) {
        RepoSlug slug = slug(owner + "/" + name);
        return repos.get(slug).chain(repo -> releases.refusals(pool, slug).map(refused -> RepoView.of(repo, refused)));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Enroll a repository", description = "Admins only: enrolling lets agents push to its default branch")
    public Uni<Response> enroll(@Valid @NotNull Enrollment body) {
        RepoSlug slug = slug(body.repo());
        var labels = body.labels();
        var defaults = config.labels();
        Repo repo = new Repo(slug, body.defaultBranch(), body.cloneUrl(),
                new RepoLabels(
                        labels == null || labels.ready() == null ? defaults.ready() : labels.ready(),
                        labels == null || labels.inProgress() == null ? defaults.inProgress() : labels.inProgress(),
                        labels == null || labels.human() == null ? defaults.human() : labels.human()),
                body.ciStages() == null || body.ciStages().isEmpty() ? List.of(Stage.GITHUB_ACTIONS) : body.ciStages(),
                Objects.requireNonNullElse(body.requiredChecks(), List.of()),
                body.deployments() == null ? List.of() : body.deployments().stream().map(Enrollment.DeploymentRef::toDeployment).toList(),
                body.imageTemplate(),
                body.executorModel() == null || body.executorModel().isBlank() ? config.defaultModel() : body.executorModel(),
                Objects.requireNonNullElse(body.caps(), Caps.NONE),
                false, null, null, null, identity.getPrincipal().getName(), clock.instant(), clock.instant());
        return repos.enroll(repo).map(r -> Response.created(URI.create("/api/afk/repos/" + slug)).entity(RepoView.of(r)).build());
    }

    @PATCH
    @Path("/{owner}/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Change an enrollment", description = "Admins only, audited. Absent fields keep their value; "
            + "labels cannot change while a run is open (409). Runs keep the settings they were dispatched with")
    public Uni<RepoView> update(@PathParam("owner") String owner, @PathParam("name") String name, @Valid @NotNull RepoUpdate body) {
        RepoSlug slug = slug(owner + "/" + name);
        return repos.update(slug, repo -> {
            var labels = body.labels();
            RepoLabels current = repo.labels();
            return new Repo(repo.slug(), repo.defaultBranch(), repo.cloneUrl(),
                    labels == null ? current : new RepoLabels(
                            Objects.requireNonNullElse(labels.ready(), current.ready()),
                            Objects.requireNonNullElse(labels.inProgress(), current.inProgress()),
                            Objects.requireNonNullElse(labels.human(), current.human())),
                    Objects.requireNonNullElse(body.ciStages(), repo.ciStages()),
                    Objects.requireNonNullElse(body.requiredChecks(), repo.requiredChecks()),
                    body.deployments() == null ? repo.deployments()
                            : body.deployments().stream().map(Enrollment.DeploymentRef::toDeployment).toList(),
                    Objects.requireNonNullElse(body.imageTemplate(), repo.imageTemplate()),
                    body.executorModel() == null || body.executorModel().isBlank() ? repo.executorModel() : body.executorModel(),
                    Objects.requireNonNullElse(body.caps(), repo.caps()),
                    repo.paused(), repo.frozenByRun(), repo.frozenAt(), repo.workflowError(), repo.enrolledBy(),
                    repo.enrolledAt(), repo.updatedAt());
        }, identity.getPrincipal().getName()).map(RepoView::of);
    }

    @DELETE
    @Path("/{owner}/{name}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Un-enroll a repository", description = "Admins only, audited. Refused (409) while a run of it is "
            + "open: cancel the run first. Finished runs stay on the record; its registry agent is stopped")
    public Uni<Response> unenroll(@PathParam("owner") String owner, @PathParam("name") String name) {
        return repos.unenroll(slug(owner + "/" + name), identity.getPrincipal().getName()).replaceWith(Response.noContent().build());
    }

    @GET
    @Path("/{owner}/{name}/history")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Enrollment audit trail", description = "Enroll, update and un-enroll, most recent first; "
            + "kept after un-enrolling")
    public Uni<List<RepoStore.Change>> history(@PathParam("owner") String owner, @PathParam("name") String name,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        return repos.history(slug(owner + "/" + name), limit);
    }

    @POST
    @Path("/{owner}/{name}/pause")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Pause dispatch", description = "Active runs continue; no new run starts")
    public Uni<RepoView> pause(@PathParam("owner") String owner, @PathParam("name") String name) {
        return existing(owner, name).chain(slug -> repos.setPaused(slug, true)).map(RepoView::of);
    }

    @POST
    @Path("/{owner}/{name}/resume")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Resume dispatch")
    public Uni<RepoView> resume(@PathParam("owner") String owner, @PathParam("name") String name) {
        return existing(owner, name).chain(slug -> repos.setPaused(slug, false)).map(RepoView::of);
    }

    @POST
    @Path("/{owner}/{name}/unfreeze")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Release a frozen repository", description = "Admins only: the default branch was left broken")
    public Uni<RepoView> unfreeze(@PathParam("owner") String owner, @PathParam("name") String name) {
        return repos.unfreeze(slug(owner + "/" + name), identity.getPrincipal().getName()).map(RepoView::of);
    }

    private Uni<RepoSlug> existing(String owner, String name) {
        RepoSlug slug = slug(owner + "/" + name);
        return repos.get(slug).replaceWith(slug);
    }

    static RepoSlug slug(String text) {
        try {
            return RepoSlug.parse(text);
        } catch (IllegalArgumentException e) {
            throw new BadSlug(text);
        }
    }
}
