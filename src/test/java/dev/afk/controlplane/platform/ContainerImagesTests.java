package dev.afk.controlplane.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the Kubernetes manifests rely on from both images, read from the Dockerfiles (no image
 * can be built where the tests run): uid 1001, git, both ports, a multi-stage build.
 */
class ContainerImagesTests {

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile.jvm", "Dockerfile.native"})
    void finalStageRunsAsUid1001WithGitAndBothPorts(String dockerfile) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("src/main/docker", dockerfile));
        List<String> finalStage = lines.subList(lastIndexStartingWith(lines, "FROM "), lines.size());

        assertThat(lines).filteredOn(line -> line.startsWith("FROM ")).hasSizeGreaterThanOrEqualTo(2);
        assertThat(finalStage.getFirst()).contains("registry.access.redhat.com/ubi9/ubi-m");
        assertThat(finalStage).filteredOn(line -> line.startsWith("USER ")).last().isEqualTo("USER 1001");
        assertThat(finalStage).contains("EXPOSE 8080 9000");
        assertThat(String.join("\n", lines)).contains("git-core");
    }

    private static int lastIndexStartingWith(List<String> lines, String prefix) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no " + prefix);
    }
}
