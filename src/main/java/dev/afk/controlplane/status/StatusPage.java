package dev.afk.controlplane.status;

import dev.afk.controlplane.agents.queue.OperatorQueue;
import dev.afk.controlplane.agents.queue.QueueFilter;
import dev.afk.controlplane.common.DomainException;
import dev.afk.controlplane.security.GroupRoleAugmentor;
import dev.afk.controlplane.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The read-only status page: the {@link Overview} rendered on the server (Qute), reloading itself.
 * It has the API's access rules (viewer and up). Browsers log in through the OIDC provider in
 * production; the local profile, which has none, offers {@code /status/login} instead (a pasted
 * token kept in a cookie, see {@link StatusCookie}).
 */
@Path("/status")
@Tag(name = "Status", description = "The install at a glance")
public class StatusPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance status(Overview overview, List<PendingItem> pending, long refreshSeconds);

        static native TemplateInstance login();
    }

    static final class NoLocalLogin extends DomainException {
        NoLocalLogin() {
            super(404, "no-local-login", "Not Found", "This install logs in through its OIDC provider");
        }
    }

    static final class BadToken extends DomainException {
        BadToken() {
            super(400, "bad-status-token", "Bad Request", "Paste a token made by scripts/dev-token");
        }
    }

    /** Pending queue items shown, newest first. */
    private static final int PENDING_SHOWN = 50;

    private final OverviewService overview;
    private final OperatorQueue queue;
    private final StatusConfig config;
    private final SecurityIdentity identity;

    StatusPage(OverviewService overview, OperatorQueue queue, StatusConfig config, SecurityIdentity identity) {
        this.overview = overview;
        this.queue = queue;
        this.config = config;
        this.identity = identity;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "The status page (HTML)")
    public Uni<TemplateInstance> page() {
        return overview.overview().chain(o -> pending(o.at().toInstant())
                .map(items -> Templates.status(o, items, Math.max(1, config.refreshEvery().toSeconds()))));
    }

    /** The pending items of the agents the viewer may see, as the queue API would list them. */
    private Uni<List<PendingItem>> pending(Instant now) {
        String name = identity.getPrincipal().getName();
        String email = identity.getAttribute(GroupRoleAugmentor.SHARE_EMAIL);
        return queue.list(identity.hasRole(Roles.ADMIN), name, email != null ? email : name.toLowerCase(Locale.ROOT),
                        new QueueFilter(null, null, "pending", null, 0, PENDING_SHOWN))
                .map(page -> page.items().stream().map(item -> PendingItem.of(item, now)).toList());
    }

    @GET
    @Path("/login")
    @Produces(MediaType.TEXT_HTML)
    @PermitAll
    @Operation(summary = "Local log-in form (local profile only)")
    public TemplateInstance loginForm() {
        requireLocalLogin();
        return Templates.login();
    }

    @POST
    @Path("/login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @PermitAll
    @Operation(summary = "Local log-in (local profile only)", description = "Keeps the token in an HttpOnly cookie for /status")
    public Response login(@FormParam("token") String token) {
        requireLocalLogin();
        if (token == null || !StatusCookie.plausible(token.strip())) {
            throw new BadToken();
        }
        return Response.seeOther(URI.create("/status")).cookie(StatusCookie.of(token.strip())).build();
    }

    @POST
    @Path("/logout")
    @PermitAll
    @Operation(summary = "Local log-out (local profile only)")
    public Response logout() {
        requireLocalLogin();
        return Response.seeOther(URI.create("/status/login")).cookie(StatusCookie.cleared()).build();
    }

    private void requireLocalLogin() {
        if (!config.localLogin()) {
            throw new NoLocalLogin();
        }
    }
}
