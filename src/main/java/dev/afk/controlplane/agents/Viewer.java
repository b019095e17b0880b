package dev.afk.controlplane.agents;

import dev.afk.controlplane.security.GroupRoleAugmentor;
import dev.afk.controlplane.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import java.util.Locale;

/**
 * Who is asking: the token's principal name (owners are stored by it), the e-mail that shares
 * name (the verified {@code email} claim, else the principal name; a token whose e-mail is marked
 * unverified matches no share), and whether they are an operator or an admin.
 */
record Viewer(String name, String email, boolean operator, boolean admin) {

    static Viewer of(SecurityIdentity identity) {
        String name = identity.getPrincipal().getName();
        String email = identity.getAttribute(GroupRoleAugmentor.SHARE_EMAIL);
        return new Viewer(name, email != null ? email : name.toLowerCase(Locale.ROOT), identity.hasRole(Roles.OPERATOR),
                identity.hasRole(Roles.ADMIN));
    }

    boolean owns(AgentRow row) {
        return admin || name.equals(row.owner);
    }
}
