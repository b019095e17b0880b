package dev.afk.controlplane.e2e;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/**
 * The real adapters instead of the pipeline's in-memory port fakes: the fakes are global
 * alternatives for the rest of the suite, so this profile (one extra application start shared by
 * every end-to-end class) excludes them. The adapters already point at the suite's stateful HTTP
 * fakes (GitHub, T3, Woodpecker, Slack, ntfy); worktrees go to a directory of this start's own.
 */
public class EndToEndProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        try {
            return Map.of(
                    "quarkus.arc.exclude-types", "dev.afk.controlplane.afk.fakes.*",
                    "afk.workspaces.root", Files.createTempDirectory("afk-e2e-workspaces").toString(),
                    "afk.ci.stages", "woodpecker");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
