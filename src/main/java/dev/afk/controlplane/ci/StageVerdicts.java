package dev.afk.controlplane.ci;

import dev.afk.controlplane.ci.CiVerdicts.Check;
import dev.afk.controlplane.ci.CiVerdicts.Outcome;
import dev.afk.controlplane.ci.CiVerdicts.Stage;
import dev.afk.controlplane.ci.CiVerdicts.Verdict;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Pure: one stage's verdict from all the checks it saw. A failure decides at once even while other
 * checks run (the fix can start sooner); a needed approval beats waiting, because waiting cannot end
 * it; only then is the stage pending; green only when every check passed.
 */
public final class StageVerdicts {

    private static final List<Outcome> PRECEDENCE = List.of(Outcome.RED, Outcome.ACTION_REQUIRED, Outcome.PENDING);

    private StageVerdicts() {}

    public static Verdict of(Stage stage, List<Check> checks, String greenReason) {
        for (Outcome outcome : PRECEDENCE) {
            List<Check> explaining = checks.stream().filter(c -> c.outcome() == outcome).toList();
            if (!explaining.isEmpty()) {
                return new Verdict(outcome, explaining, stage.label() + ": " + describe(outcome, explaining));
            }
        }
        return Verdict.green(stage.label() + ": " + greenReason);
    }

    /** A link from a provider's answer, or null when it is missing or not a URI (a link is never worth failing for). */
    public static URI link(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static String describe(Outcome outcome, List<Check> checks) {
        String what = switch (outcome) {
            case RED -> "failed";
            case ACTION_REQUIRED -> "needs approval to run";
            default -> "pending";
        };
        return checks.stream().map(c -> c.summary() == null || c.summary().isBlank() ? c.name() : c.name() + " (" + c.summary() + ")")
                .collect(Collectors.joining(", ", what + ": ", ""));
    }
}
