package dev.afk.controlplane.security;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import jakarta.json.JsonString;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Derives operator roles from the token's groups claim through the configured group → role map. */
@ApplicationScoped
public class GroupRoleAugmentor implements SecurityIdentityAugmentor {

    /** Lowest first: a role's index says how many roles it includes. */
    private static final List<String> LADDER = List.of(Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN);

    private final SecurityConfig config;

    GroupRoleAugmentor(SecurityConfig config) {
        this.config = config;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return Uni.createFrom().item(identity);
        }
        Set<String> roles = rolesFor(groups(token.getClaim(config.groupsClaim())));
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder(identity).addRoles(roles).build());
    }

    /** Roles for a set of groups: the highest granted role and every role below it. */
    Set<String> rolesFor(Collection<String> groups) {
        int highest = -1;
        for (String group : groups) {
            if (config.adminGroups().contains(group)) {
                highest = Math.max(highest, 2);
            } else if (config.operatorGroups().contains(group)) {
                highest = Math.max(highest, 1);
            } else if (config.viewerGroups().contains(group)) {
                highest = Math.max(highest, 0);
            }
        }
        return new LinkedHashSet<>(LADDER.subList(0, highest + 1));
    }

    private static Collection<String> groups(Object claim) {
        if (claim instanceof Collection<?> values) {
            return values.stream().map(GroupRoleAugmentor::text).toList();
        }
        return claim == null ? List.of() : List.of(text(claim));
    }

    /** JSON-P strings print with their quotes; group names do not have them. */
    private static String text(Object value) {
        return value instanceof JsonString s ? s.getString() : String.valueOf(value);
    }
}
