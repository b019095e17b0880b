package dev.afk.controlplane.ci;

import dev.afk.controlplane.ci.CiVerdicts.Stage;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;

@ConfigMapping(prefix = "afk.ci")
public interface CiConfig {

    /** Stages judged, in order, for a repository whose own settings name none. */
    @WithDefault("github-actions")
    List<Stage> stages();
}
