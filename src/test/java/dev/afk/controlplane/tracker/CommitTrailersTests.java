package dev.afk.controlplane.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommitTrailersTests {

    @Test
    void readsTheLastParagraphAsTrailers() {
        var trailers = CommitTrailers.parse("Add parser\n\nBody text.\n\nAFK-Run: run-1\nRefs #12\n");
        assertThat(trailers.get("AFK-Run")).containsExactly("run-1");
        assertThat(trailers.get("Refs")).containsExactly("#12");
    }

    @Test
    void keysAreCaseInsensitiveAndRepeatable() {
        var trailers = CommitTrailers.parse("T\n\nrefs: #1\nREFS: acme/api#2\nafk-run: r");
        assertThat(trailers.get("Refs")).containsExactly("#1", "acme/api#2");
        assertThat(trailers.get("AFK-Run")).containsExactly("r");
    }

    @Test
    void theTitleIsNeverATrailer() {
        assertThat(CommitTrailers.parse("AFK-Run: run-1")).isEmpty();
    }

    @Test
    void aParagraphWithProseIsNotATrailerBlock() {
        assertThat(CommitTrailers.parse("T\n\nThis fixes it.\nAFK-Run: run-1")).isEmpty();
        assertThat(CommitTrailers.parse("T\n\nAFK-Run: run-1\n\nMore prose after.")).isEmpty();
    }

    @Test
    void aGitGeneratedTrailerAllowsSomeOtherLines() {
        var trailers = CommitTrailers.parse("T\n\nAFK-Run: run-1\nsome stray words\nSigned-off-by: A <a@example.org>");
        assertThat(trailers.get("AFK-Run")).containsExactly("run-1");
    }

    @Test
    void indentedLinesContinueTheValue() {
        var trailers = CommitTrailers.parse("T\n\nNote: first part\n  second part\nAFK-Run: r");
        assertThat(trailers.get("Note")).isEqualTo(List.of("first part second part"));
    }

    @Test
    void windowsLineEndingsAndTrailingBlankLines() {
        var trailers = CommitTrailers.parse("T\r\n\r\nAFK-Run: r\r\nRefs #3\r\n\r\n\r\n");
        assertThat(trailers.get("Refs")).containsExactly("#3");
    }
}
