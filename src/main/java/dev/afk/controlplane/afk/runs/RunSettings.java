package dev.afk.controlplane.afk.runs;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.afk.controlplane.afk.repos.Landing;
import dev.afk.controlplane.ci.CiVerdicts.Stage;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * What a run is held to and judged by, resolved at dispatch from enrollment and the workflow file.
 * {@code landing} is set only for a run that lands by pull request; null means it pushes to the
 * default branch (and is what runs stored before landing modes existed read as).
 */
@RegisterForReflection
public record RunSettings(Budgets budgets, List<Stage> ciStages, List<String> requiredChecks,
        @JsonInclude(JsonInclude.Include.NON_NULL) Landing landing) {

    public boolean byPullRequest() {
        return landing != null && landing.byPullRequest();
    }
}
