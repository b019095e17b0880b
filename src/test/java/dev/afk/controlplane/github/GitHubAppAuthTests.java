package dev.afk.controlplane.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.afk.controlplane.fakes.github.FakeGitHub;
import dev.afk.controlplane.fakes.github.FakeGitHubResource;
import dev.afk.controlplane.fakes.github.FakeRepo;
import dev.afk.controlplane.support.TestClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.inject.Inject;
import java.net.URI;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** GitHub App authentication: JWT → installation token, re-minted before it expires. */
@QuarkusTest
class GitHubAppAuthTests {

    private static final String ISSUE = "/repos/{owner}/{repo}/issues/{issue_number}";

    @Inject
    Vertx vertx;

    private final FakeGitHub github = FakeGitHubResource.fake();

    @Test
    void mintsAnInstallationTokenAndRefreshesItBeforeItExpires() throws Exception {
        KeyPair keys = rsaKeys();
        github.app("4242", 77, keys.getPublic());
        TestClock clock = new TestClock(Instant.now());
        GitHubHttp http = client(new AppJwt("4242", AppJwt.parsePem(pkcs1Pem(keys))), 77, clock);
        FakeRepo repo = github.repo("acme/app-auth");
        Endpoint issue = Endpoint.of(ISSUE, "acme", "app-auth", String.valueOf(repo.createIssue("work", "")));
        long before = github.installationTokensMinted();

        assertThat(await(http.get(issue)).status()).isEqualTo(200);
        assertThat(await(http.get(issue)).status()).isEqualTo(200);
        assertThat(github.installationTokensMinted()).isEqualTo(before + 1);

        clock.advance(Duration.ofMinutes(56)); // the hour-long token is 4 minutes from expiry: inside the 5-minute margin
        // The next token outlives the moved clock's margin, so a call that comes after its mint reuses it
        // rather than minting again: only concurrent callers that did not share the mint could add more.
        github.installationTokenTtl(Duration.ofHours(2));
        try {
            Uni.join().all(http.get(issue), http.get(issue), http.get(issue)).andFailFast().await().atMost(Duration.ofSeconds(10));
        } finally {
            github.installationTokenTtl(Duration.ofHours(1));
        }
        assertThat(github.installationTokensMinted()).isEqualTo(before + 2);
    }

    @Test
    void acceptsAPkcs8Key() throws Exception {
        KeyPair keys = rsaKeys();
        github.app("4343", 78, keys.getPublic());
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(keys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        GitHubHttp http = client(new AppJwt("4343", AppJwt.parsePem(pem)), 78, Clock.systemUTC());

        assertThat(await(http.get(Endpoint.of("/rate_limit"))).status()).isEqualTo(200);
    }

    @Test
    void aJwtSignedWithAnotherKeyIsRefused() throws Exception {
        github.app("4444", 79, rsaKeys().getPublic());
        GitHubHttp http = client(new AppJwt("4444", rsaKeys().getPrivate()), 79, Clock.systemUTC());

        assertThatThrownBy(() -> await(http.get(Endpoint.of("/rate_limit"))))
                .isInstanceOf(GitHubUnavailable.class)
                .satisfies(e -> assertThat(((GitHubUnavailable) e).upstreamStatus()).isEqualTo(401));
    }

    private GitHubHttp client(AppJwt jwt, long installation, Clock clock) {
        WebClient web = WebClient.create(vertx);
        URI api = URI.create(github.apiUrl());
        GitHubHttp.Settings settings = new GitHubHttp.Settings(Duration.ofSeconds(5), Duration.ofMillis(10), Duration.ofMillis(100),
                Duration.ofSeconds(10), Duration.ofMillis(10), 2, 100);
        AppInstallationToken credentials = new AppInstallationToken(web, api, installation, jwt, Duration.ofMinutes(5), Duration.ofSeconds(5), clock);
        return new GitHubHttp(web, api, credentials, settings, new GitHubMetrics(new SimpleMeterRegistry()), clock);
    }

    private static KeyPair rsaKeys() throws NoSuchAlgorithmException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    /** GitHub hands out PKCS#1 keys; the JDK makes PKCS#8, whose last part is the PKCS#1 key. */
    private static String pkcs1Pem(KeyPair keys) {
        byte[] pkcs8 = keys.getPrivate().getEncoded();
        byte[] pkcs1 = Arrays.copyOfRange(pkcs8, 26, pkcs8.length);
        return "-----BEGIN RSA PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(pkcs1) + "\n-----END RSA PRIVATE KEY-----\n";
    }

    private static <T> T await(Uni<T> uni) {
        return uni.await().atMost(Duration.ofSeconds(20));
    }
}
