package dev.afk.controlplane.fakes.github;

import io.quarkus.test.common.QuarkusTestResource;

/** Declares the fake GitHub once; as a global test resource it serves every {@code @QuarkusTest}. */
@QuarkusTestResource(FakeGitHubResource.class)
public final class FakeGitHubSuite {
    private FakeGitHubSuite() {}
}
