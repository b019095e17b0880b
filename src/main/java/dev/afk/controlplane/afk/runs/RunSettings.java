package dev.afk.controlplane.afk.runs;

import dev.afk.controlplane.ci.CiVerdicts.Stage;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** What a run is held to and judged by, resolved at dispatch from enrollment and the workflow file. */
@RegisterForReflection
public record RunSettings(Budgets budgets, List<Stage> ciStages, List<String> requiredChecks) {}
