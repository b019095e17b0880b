package dev.afk.controlplane.support;

import io.smallrye.jwt.build.Jwt;
import java.util.Set;

/** Bearer tokens signed with the OIDC mock's key, as Authentik would issue them. */
public final class Tokens {

    private Tokens() {}

    public static String bearer(String user, String... groups) {
        return "Bearer " + Jwt.preferredUserName(user)
                .subject(user)
                .groups(Set.of(groups))
                .issuer("https://server.example.com")
                .audience("https://service.example.com")
                .sign();
    }

    public static String admin() {
        return bearer("ada", "afk-admins");
    }

    public static String operator() {
        return bearer("otto", "afk-operators");
    }

    public static String viewer() {
        return bearer("vera", "afk-viewers");
    }
}
