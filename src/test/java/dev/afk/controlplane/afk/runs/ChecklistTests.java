package dev.afk.controlplane.afk.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.afk.controlplane.ci.CiVerdicts.Outcome;
import dev.afk.controlplane.common.RunId;
import java.net.URI;
import org.junit.jupiter.api.Test;

class ChecklistTests {

    @Test
    void showsWhereTheRunStandsWithTheDeepLink() {
        Run run = RunDecisionTests.run(RunState.FIX_FORWARDING, e -> {
            e.commitSha = "abcdef0123";
            e.lastVerdict = Outcome.RED;
            e.fixForwardAttempts = 2;
        });
        String text = Checklist.render(run, URI.create("https://executor.test/?thread=t1"));
        assertThat(text).startsWith("<!-- afk-run: " + run.id() + " -->\n")
                .contains("**FIX_FORWARDING**", "- [x] worktree", "- [x] dispatched", "- [x] pushed `abcdef0`",
                        "- [!] CI", "- [ ] deployed", "Fix-forward attempts: 2",
                        "[Open the thread in the executor](https://executor.test/?thread=t1)");
    }

    @Test
    void doneChecksEverything() {
        Run run = RunDecisionTests.run(RunState.DONE, e -> {
            e.commitSha = "abcdef0123";
            e.outcomeReason = "CI and rollout green";
        });
        assertThat(Checklist.render(run, null)).contains("- [x] CI", "- [x] deployed", "- [x] done", "Outcome: CI and rollout green")
                .doesNotContain("[ ]", "Open the thread");
    }

    @Test
    void theMarkerNamesTheRunAndOnlyIt() {
        Run run = RunDecisionTests.run(RunState.WORKING);
        assertThat(Checklist.render(run, null)).contains(Checklist.marker(run.id()));
        assertThat(Checklist.marker(run.id())).isNotEqualTo(Checklist.marker(RunId.parse("0b9e6a8e-0000-4000-8000-000000000002")));
    }
}
