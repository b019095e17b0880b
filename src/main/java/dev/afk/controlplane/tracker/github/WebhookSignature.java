package dev.afk.controlplane.tracker.github;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * GitHub's {@code X-Hub-Signature-256}: {@code sha256=} and the hex HMAC-SHA256 of the raw body.
 * The HMAC can be fed as the body arrives ({@link #start()}), so the body need not be held to check it.
 */
public final class WebhookSignature {

    private static final String PREFIX = "sha256=";
    private static final Pattern WELL_FORMED = Pattern.compile("sha256=[0-9a-fA-F]{64}");

    private final SecretKeySpec key;

    public WebhookSignature(byte[] secret) {
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    /** Whether the header could be a signature at all: checked before a byte of the body is read. */
    public static boolean wellFormed(String header) {
        return header != null && WELL_FORMED.matcher(header).matches();
    }

    /** The header value GitHub would send for {@code body}. */
    public String sign(byte[] body) {
        Mac mac = start();
        mac.update(body);
        return PREFIX + HexFormat.of().formatHex(mac.doFinal());
    }

    public boolean matches(byte[] body, String header) {
        Mac mac = start();
        mac.update(body);
        return matches(mac, header);
    }

    /** A fresh HMAC to feed with the body, chunk by chunk. */
    public Mac start() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
        }
    }

    /** Constant-time comparison, so the answer's timing tells nothing about the expected value. */
    public boolean matches(Mac fed, String header) {
        if (!wellFormed(header)) {
            return false;
        }
        byte[] given = HexFormat.of().parseHex(header.substring(PREFIX.length()));
        return MessageDigest.isEqual(fed.doFinal(), given);
    }

    static byte[] secretOf(String fileContent) {
        return fileContent.strip().getBytes(StandardCharsets.UTF_8);
    }
}
