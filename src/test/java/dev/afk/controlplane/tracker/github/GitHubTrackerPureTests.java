package dev.afk.controlplane.tracker.github;

import static org.assertj.core.api.Assertions.assertThat;

import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.tracker.Permission;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The pure parts of the tracker adapter: blocker references, permissions, webhook signatures. */
class GitHubTrackerPureTests {

    private static final RepoSlug HOME = RepoSlug.parse("acme/app");

    @Test
    void blockerReferencesInProse() {
        assertThat(BlockerReferences.in("Blocked by #12", HOME)).containsExactly(new BlockerReferences.Reference(HOME, 12));
        assertThat(BlockerReferences.in("This is blocked by acme/api#7.", HOME))
                .containsExactly(new BlockerReferences.Reference(RepoSlug.parse("acme/api"), 7));
        assertThat(BlockerReferences.in("BLOCKED BY: #1, #2 and other/lib#3\nblocked by #1", HOME)).containsExactly(
                new BlockerReferences.Reference(HOME, 1), new BlockerReferences.Reference(HOME, 2),
                new BlockerReferences.Reference(RepoSlug.parse("other/lib"), 3));
        assertThat(BlockerReferences.in("Refs #4, unblocked #5, blocks #6", HOME)).isEmpty();
        assertThat(BlockerReferences.in(null, HOME)).isEmpty();
    }

    @Test
    void maintainCountsAsWriteAndTriageAsRead() {
        assertThat(GitHubIssueTracker.permissionOf("admin")).isEqualTo(Permission.ADMIN);
        assertThat(GitHubIssueTracker.permissionOf("maintain")).isEqualTo(Permission.WRITE);
        assertThat(GitHubIssueTracker.permissionOf("write")).isEqualTo(Permission.WRITE);
        assertThat(GitHubIssueTracker.permissionOf("triage")).isEqualTo(Permission.READ);
        assertThat(GitHubIssueTracker.permissionOf("read")).isEqualTo(Permission.READ);
        assertThat(GitHubIssueTracker.permissionOf("none")).isEqualTo(Permission.NONE);
        assertThat(GitHubIssueTracker.permissionOf(null)).isEqualTo(Permission.NONE);
    }

    @Test
    void webhookSignaturesCompareTheWholeHmac() {
        WebhookSignature signature = new WebhookSignature("It's a Secret to Everybody".getBytes(StandardCharsets.UTF_8));
        byte[] body = "Hello, World!".getBytes(StandardCharsets.UTF_8);
        // GitHub's documented example.
        String expected = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
        assertThat(signature.sign(body)).isEqualTo(expected);
        assertThat(signature.matches(body, expected)).isTrue();
        assertThat(signature.matches(body, expected.substring(0, expected.length() - 2))).isFalse();
        assertThat(signature.matches(body, "sha1=757107ea")).isFalse();
        assertThat(signature.matches(body, "sha256=not-hex")).isFalse();
        assertThat(signature.matches(body, null)).isFalse();
        assertThat(signature.matches("Hello, World?".getBytes(StandardCharsets.UTF_8), expected)).isFalse();
    }
}
