package dev.afk.controlplane.support;

import dev.afk.controlplane.fakes.anthropic.FakeMessagesApiResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/**
 * The test resources every {@code @QuarkusTest} shares: declared once here, they apply to the
 * whole suite, so the application starts once for all test classes that use no profile.
 */
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(OidcWiremockTestResource.class)
@QuarkusTestResource(FakeMessagesApiResource.class)
public final class TestResources {
    private TestResources() {}
}
