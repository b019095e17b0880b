package dev.afk.controlplane.afk.api;

import dev.afk.controlplane.afk.PipelineConfig;
import dev.afk.controlplane.afk.dispatch.ReleaseStore;
import dev.afk.controlplane.afk.dispatch.PollProblems;
import dev.afk.controlplane.afk.repos.Caps;
import dev.afk.controlplane.afk.repos.Landing;
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
    private final PollProblems pollProblems;
    private final PipelineConfig config;
    private final SecurityIdentity identity;
    private final Clock clock;

    RepoResource(RepoService repos, ReleaseStore releases, Pool pool, PollProblems pollProblems, PipelineConfig config,
            SecurityIdentity identity, Clock clock) {
        this.repos = repos;
        this.releases = releases;
        this.pool = pool;
        this.pollProblems = pollProblems;
        this.config = config;
        this.identity = identity;
        this.clock = clock;
    }

    static final class BadSlug extends DomainException {
        BadSlug(String slug) {
            super(400, "bad-repo-slug", "Not a repository", "'" + slug + "' is not an owner/name repository slug");
        }
    }

    static final class LocalCloneUrlRefused extends DomainException {
        LocalCloneUrlRefused(String detail) {
            super(400, "local-clone-url-refused", "Clone URL refused", detail);
        }
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Enrolled repositories")
    public Uni<List<RepoView>> list() {
        return repos.list().map(all -> all.stream().map(this::view).toList());
    }

    @GET
    @Path("/{owner}/{name}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "One enrolled repository", description = "refusedReleases: ready issues dispatch refuses because "
            + "their title or body changed after the trusted label")
    public Uni<RepoView> get(@PathParam("owner") String owner, @PathParam("name") String name) {
        RepoSlug slug = slug(owner + "/" + name);
        return repos.get(slug).chain(repo -> releases.refusals(pool, slug)
                .map(refused -> RepoView.of(repo, pollProblems, refused)));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Enroll a repository", description = "Admins only: enrolling lets agents push to its default "
            + "branch, or (landing mode pull-request) to their run's branch, merged by the pipeline once green")
    public Uni<Response> enroll(@Valid @NotNull Enrollment body) {
        RepoSlug slug = slug(body.repo());
        var labels = body.labels();
        var defaults = config.labels();
        Repo repo = new Repo(slug, body.defaultBranch(), cloneUrl(body.cloneUrl(), config.allowLocalCloneUrls()),
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
                body.landing() == null ? Landing.PUSH : body.landing().toLanding(),
                false, null, null, null, identity.getPrincipal().getName(), clock.instant(), clock.instant());
        return repos.enroll(repo).map(r -> Response.created(URI.create("/api/afk/repos/" + slug)).entity(view(r)).build());
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
                    body.imageTemplate() != null ? body.imageTemplate() : repo.imageTemplate(),
                    body.executorModel() == null || body.executorModel().isBlank() ? repo.executorModel() : body.executorModel(),
                    Objects.requireNonNullElse(body.caps(), repo.caps()),
                    body.landing() == null ? repo.landing() : body.landing().toLanding(),
                    repo.paused(), repo.frozenByRun(), repo.frozenAt(), repo.workflowError(), repo.enrolledBy(),
                    repo.enrolledAt(), repo.updatedAt());
        }, identity.getPrincipal().getName()).map(this::view);
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
        return existing(owner, name).chain(slug -> repos.setPaused(slug, true)).map(this::view);
    }

    @POST
    @Path("/{owner}/{name}/resume")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Resume dispatch")
    public Uni<RepoView> resume(@PathParam("owner") String owner, @PathParam("name") String name) {
        return existing(owner, name).chain(slug -> repos.setPaused(slug, false)).map(this::view);
    }

    @POST
    @Path("/{owner}/{name}/unfreeze")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Release a frozen repository", description = "Admins only: the default branch was left broken")
    public Uni<RepoView> unfreeze(@PathParam("owner") String owner, @PathParam("name") String name) {
        return repos.unfreeze(slug(owner + "/" + name), identity.getPrincipal().getName()).map(this::view);
    }

    private RepoView view(Repo repo) {
        return RepoView.of(repo, pollProblems);
    }

    private Uni<RepoSlug> existing(String owner, String name) {
        RepoSlug slug = slug(owner + "/" + name);
        return repos.get(slug).replaceWith(slug);
    }

    /**
     * The clone URL to store. A repository on this machine's disk ({@code file://} or an absolute
     * path, stored as a {@code file://} URL) only where {@code afk.pipeline.allow-local-clone-urls} is on.
     */
    static String cloneUrl(String given, boolean allowLocal) {
        boolean path = given.startsWith("/");
        if (!path && !given.startsWith("file:")) {
            return given;
        }
        if (!allowLocal) {
            throw new LocalCloneUrlRefused("repositories on this machine's disk are not accepted here "
                    + "(afk.pipeline.allow-local-clone-urls is off); use an https:// or ssh:// URL");
        }
        String file = path ? given : given.substring("file://".length());
        if (!file.startsWith("/") || !java.nio.file.Path.of(file).normalize().toString().equals(file.replaceAll("(.)/+$", "$1"))) {
            throw new LocalCloneUrlRefused("a local repository is named by a plain absolute path, e.g. /srv/git/demo.git "
                    + "or file:///srv/git/demo.git");
        }
        return "file://" + file;
    }

    static RepoSlug slug(String text) {
        try {
            return RepoSlug.parse(text);
        } catch (IllegalArgumentException e) {
            throw new BadSlug(text);
        }
    }
}
