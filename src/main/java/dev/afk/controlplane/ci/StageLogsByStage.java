package dev.afk.controlplane.ci;

import dev.afk.controlplane.ci.CiVerdicts.Check;
import dev.afk.controlplane.common.RepoSlug;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/** {@link CiLogs} through the adapter of the check's stage; a stage without one has no logs. */
@ApplicationScoped
public class StageLogsByStage implements CiLogs {

    private final Map<CiVerdicts.Stage, StageLogs> byStage = new EnumMap<>(CiVerdicts.Stage.class);

    StageLogsByStage(Instance<StageLogs> adapters) {
        adapters.forEach(adapter -> byStage.put(adapter.stage(), adapter));
    }

    @Override
    public Uni<Optional<String>> tail(RepoSlug repo, Check check, int maxBytes) {
        StageLogs adapter = byStage.get(check.stage());
        return adapter == null ? Uni.createFrom().item(Optional.empty()) : adapter.tail(repo, check, maxBytes);
    }
}
