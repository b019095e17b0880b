package dev.afk.controlplane.afk.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.afk.controlplane.afk.PipelineConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A repository on the service's own disk can be enrolled only where the operator allowed it. */
class LocalCloneUrlTests {

    @Test
    void offUnlessConfigured() {
        PipelineConfig defaults = new SmallRyeConfigBuilder().withMapping(PipelineConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter()).build()
                .unwrap(SmallRyeConfig.class).getConfigMapping(PipelineConfig.class);
        assertThat(defaults.allowLocalCloneUrls()).isFalse();
        assertThatThrownBy(() -> RepoResource.cloneUrl("/srv/git/demo.git", false))
                .isInstanceOf(RepoResource.LocalCloneUrlRefused.class)
                .hasMessageContaining("afk.pipeline.allow-local-clone-urls");
        assertThatThrownBy(() -> RepoResource.cloneUrl("file:///srv/git/demo.git", false))
                .isInstanceOf(RepoResource.LocalCloneUrlRefused.class);
    }

    @Test
    void whenAllowedAPathIsStoredAsAFileUrl() {
        assertThat(RepoResource.cloneUrl("/srv/git/demo.git", true)).isEqualTo("file:///srv/git/demo.git");
        assertThat(RepoResource.cloneUrl("file:///srv/git/demo.git", true)).isEqualTo("file:///srv/git/demo.git");
        assertThat(RepoResource.cloneUrl("/srv/git/demo.git/", true)).isEqualTo("file:///srv/git/demo.git/");
    }

    @Test
    void remoteUrlsAreUntouchedEitherWay() {
        assertThat(RepoResource.cloneUrl("https://github.com/acme/web.git", false)).isEqualTo("https://github.com/acme/web.git");
        assertThat(RepoResource.cloneUrl("ssh://git@github.com/acme/web.git", true)).isEqualTo("ssh://git@github.com/acme/web.git");
    }

    @Test
    void onlyPlainAbsolutePathsOnThisMachine() {
        for (String sneaky : new String[] {"/srv/git/../../etc", "file://other-host/srv/git/demo.git", "file:relative/demo.git",
                "/srv//git/demo.git", "/srv/./git"}) {
            assertThatThrownBy(() -> RepoResource.cloneUrl(sneaky, true)).as(sneaky)
                    .isInstanceOf(RepoResource.LocalCloneUrlRefused.class);
        }
    }
}
