package dev.afk.controlplane.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Set;

/**
 * Which identity-provider groups grant which operator role. A user gets the highest role any of
 * their groups grants, and with it every lower one.
 */
@ConfigMapping(prefix = "afk.security")
public interface SecurityConfig {

    /** Token claim holding the user's groups (Authentik: {@code groups}). */
    @WithDefault("groups")
    String groupsClaim();

    @WithDefault("afk-admins")
    Set<String> adminGroups();

    @WithDefault("afk-operators")
    Set<String> operatorGroups();

    @WithDefault("afk-viewers")
    Set<String> viewerGroups();

    /** How far in the future a token's {@code iat} may lie: clock skew between the provider and us. */
    @WithDefault("60s")
    Duration issuedAtLeeway();

    /**
     * Whether a token whose {@code email_verified} claim is false shares nothing by its
     * {@code email}. Tokens without the claim keep using their {@code email}.
     */
    @WithDefault("true")
    boolean requireVerifiedEmail();
}
