package dev.afk.controlplane.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RepoSlugTests {

    @Test
    void parsesOwnerAndName() {
        assertThat(RepoSlug.parse("acme/web-app.v2")).isEqualTo(new RepoSlug("acme", "web-app.v2"));
        assertThat(RepoSlug.parse("acme/web").toString()).isEqualTo("acme/web");
    }

    @Test
    void rejectsAnythingThatCouldEscapeAPathOrUrl() {
        for (String bad : new String[] {"acme", "acme/", "/web", "a/b/c", "acme/..", "acme/.", "ac me/web", "acme/we%2fb", "acme/-x"}) {
            assertThatThrownBy(() -> RepoSlug.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
