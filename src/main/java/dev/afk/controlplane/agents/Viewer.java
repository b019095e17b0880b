package dev.afk.controlplane.agents;

import dev.afk.controlplane.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.json.JsonString;
import java.util.Locale;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who is asking: the token's principal name (owners are stored by it), the e-mail that shares
 * name (the {@code email} claim, else the principal name), and whether they are an operator or an admin.
 */
record Viewer(String name, String email, boolean operator, boolean admin) {

    static Viewer of(SecurityIdentity identity) {
        String name = identity.getPrincipal().getName();
        String email = name;
        if (identity.getPrincipal() instanceof JsonWebToken token) {
            Object claim = token.getClaim("email");
            // JSON-P strings print with their quotes.
            if (claim instanceof JsonString text && !text.getString().isBlank()) {
                email = text.getString();
            } else if (claim instanceof String text && !text.isBlank()) {
                email = text;
            }
        }
        return new Viewer(name, email.toLowerCase(Locale.ROOT), identity.hasRole(Roles.OPERATOR), identity.hasRole(Roles.ADMIN));
    }

    boolean owns(AgentRow row) {
        return admin || name.equals(row.owner);
    }
}
