package dev.afk.controlplane.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Derives operator roles from the token's groups claim through the configured group → role map,
 * refuses tokens issued in the future (beyond a small leeway), and records the e-mail that shares
 * may match: the {@code email} claim unless the provider says it is not verified.
 */
@ApplicationScoped
public class GroupRoleAugmentor implements SecurityIdentityAugmentor {

    /** Lowest first: a role's index says how many roles it includes. */
    private static final List<String> LADDER = List.of(Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN);

    /** Identity attribute: the e-mail shares match (absent: the principal name; empty: none). */
    public static final String SHARE_EMAIL = "afk.share-email";

    /**
     * Token times are wall-clock times, checked like the OIDC layer checks {@code exp}: not against
     * the service's {@code Clock}, which is business time (tests move it by hand).
     */
    private static final Clock WALL = Clock.systemUTC();

    private final SecurityConfig config;

    GroupRoleAugmentor(SecurityConfig config) {
        this.config = config;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return Uni.createFrom().item(identity);
        }
        if (issuedInTheFuture(token)) {
            return Uni.createFrom().failure(new AuthenticationFailedException("The token is issued in the future"));
        }
        Set<String> roles = rolesFor(groups(token.getClaim(config.groupsClaim())));
        var augmented = QuarkusSecurityIdentity.builder(identity).addRoles(roles);
        shareEmail(token).ifPresent(email -> augmented.addAttribute(SHARE_EMAIL, email));
        return Uni.createFrom().item(augmented.build());
    }

    boolean issuedInTheFuture(JsonWebToken token) {
        Long issuedAt = number(token.getClaim("iat"));
        return issuedAt != null && Instant.ofEpochSecond(issuedAt).isAfter(WALL.instant().plus(config.issuedAtLeeway()));
    }

    /** The token's e-mail, lower-cased; empty string when it is marked unverified; absent when there is none. */
    Optional<String> shareEmail(JsonWebToken token) {
        String email = text(token.getClaim("email"));
        if (email == null || email.isBlank()) {
            return Optional.empty();
        }
        Object verified = token.getClaim("email_verified");
        boolean unverified = Boolean.FALSE.equals(verified) || JsonValue.FALSE.equals(verified)
                || (verified instanceof JsonString s && s.getString().equals("false"));
        return Optional.of(config.requireVerifiedEmail() && unverified ? "" : email.strip().toLowerCase(Locale.ROOT));
    }

    private static Long number(Object claim) {
        if (claim instanceof JsonNumber n) {
            return n.longValue();
        }
        return claim instanceof Number n ? n.longValue() : null;
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
        if (value == null) {
            return null;
        }
        return value instanceof JsonString s ? s.getString() : String.valueOf(value);
    }
}
