package dev.afk.controlplane.afk.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.afk.controlplane.common.RepoSlug;
import org.junit.jupiter.api.Test;

class ImplementerAgentNameTests {

    private static final String AGENT_NAME = "^[a-z0-9][a-z0-9-]{0,62}$";

    @Test
    void aPlainSlugReadsAsItself() {
        assertThat(ImplementerAgents.agentName(RepoSlug.parse("Shop/Web-Frontend"))).isEqualTo("afk-shop-web-frontend");
    }

    @Test
    void charactersAgentNamesLackBecomeHyphensAndAHashKeepsSlugsApart() {
        String dotted = ImplementerAgents.agentName(RepoSlug.parse("shop/web.app"));
        String hyphened = ImplementerAgents.agentName(RepoSlug.parse("shop/web-app"));
        String underscored = ImplementerAgents.agentName(RepoSlug.parse("shop/web_app"));
        assertThat(dotted).matches(AGENT_NAME).startsWith("afk-shop-web-app-");
        assertThat(underscored).matches(AGENT_NAME).startsWith("afk-shop-web-app-");
        assertThat(hyphened).isEqualTo("afk-shop-web-app");
        assertThat(dotted).isNotEqualTo(underscored);
        assertThat(ImplementerAgents.agentName(RepoSlug.parse("shop/web.app"))).isEqualTo(dotted);
    }

    @Test
    void aLongSlugIsCutToFitWithItsHash() {
        String name = ImplementerAgents.agentName(RepoSlug.parse("an-organisation-with-a-long-name/" + "r".repeat(60)));
        assertThat(name).matches(AGENT_NAME).hasSize(63).startsWith("afk-an-organisation-with-a-long-name-rrr");
    }
}
