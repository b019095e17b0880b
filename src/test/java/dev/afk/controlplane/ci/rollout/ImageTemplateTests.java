package dev.afk.controlplane.ci.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageTemplateTests {

    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "{sha}, 0123456789abcdef0123456789abcdef01234567",
            "{sha:8}, 01234567",
            "{sha:7}, 0123456",
            "main-{sha:7}, main-0123456",
            "v1-{sha:12}-{sha:4}, v1-0123456789ab-0123",
            "{sha:99}, 0123456789abcdef0123456789abcdef01234567",
            "latest, latest"})
    void rendersTheCommitIntoTheTemplate(String template, String expected) {
        assertThat(ImageTemplate.render(template, SHA)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> [{1}]")
    @CsvSource(nullValues = "none", value = {
            "ghcr.io/acme/web:01234567, 01234567",
            "registry.local:5000/acme/web:main-0123456, main-0123456",
            "registry.local:5000/acme/web, ''",
            "acme/web:1.2@sha256:deadbeef, 1.2",
            "web, ''"})
    void readsTheTagOfAnImage(String image, String tag) {
        assertThat(ImageTemplate.tagOf(image)).isEqualTo(tag);
    }

    @Test
    void aDollarOrBackslashInTheTemplateStaysLiteral() {
        assertThat(ImageTemplate.render("a$b\\{sha:2}", SHA)).isEqualTo("a$b\\01");
    }
}
