package dev.afk.controlplane.badinput;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;

/**
 * Bearer tokens that must not get in: each one is a valid viewer-or-better token but for one flaw.
 * The last, without groups, does get in: it must not get past a role check.
 */
final class HostileTokens {

    static final String NO_GROUPS = "no groups";

    private HostileTokens() {}

    /** Authorization header value (null: no header) by what is wrong with it. */
    static Map<String, String> all(PublicKey trusted) {
        long now = System.currentTimeMillis() / 1000;
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("no token", null);
        tokens.put("garbage", "Bearer garbage");
        tokens.put("not bearer", "Basic " + Base64.getEncoder().encodeToString("ada:secret".getBytes(StandardCharsets.UTF_8)));
        tokens.put("another key", "Bearer " + claims().jws().sign(otherKey()));
        tokens.put("expired", "Bearer " + claims().issuedAt(now - 7200).expiresAt(now - 3600).sign());
        tokens.put("issued a day ahead", "Bearer " + claims().issuedAt(now + 86_400).expiresAt(now + 90_000).sign());
        tokens.put("wrong issuer", "Bearer " + claims().issuer("https://attacker.example.com").sign());
        tokens.put("alg none", "Bearer " + unsigned());
        tokens.put("HS256 keyed with the public key", "Bearer " + claims().jws().algorithm(SignatureAlgorithm.HS256)
                .sign(new SecretKeySpec(trusted.getEncoded(), "HmacSHA256")));
        tokens.put(NO_GROUPS, "Bearer " + Jwt.preferredUserName("nobody").subject("nobody").issuer("https://server.example.com")
                .audience("https://service.example.com").sign());
        return tokens;
    }

    private static JwtClaimsBuilder claims() {
        return Jwt.preferredUserName("mallory").subject("mallory").groups(Set.of("afk-admins"))
                .issuer("https://server.example.com").audience("https://service.example.com");
    }

    private static String unsigned() {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        long exp = System.currentTimeMillis() / 1000 + 3600;
        String payload = "{\"iss\":\"https://server.example.com\",\"aud\":\"https://service.example.com\",\"sub\":\"mallory\","
                + "\"preferred_username\":\"mallory\",\"groups\":[\"afk-admins\"],\"exp\":" + exp + "}";
        return url.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + url.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".";
    }

    private static java.security.PrivateKey otherKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair().getPrivate();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
