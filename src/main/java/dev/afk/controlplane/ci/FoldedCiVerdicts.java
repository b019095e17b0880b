package dev.afk.controlplane.ci;

import dev.afk.controlplane.ci.CiVerdicts.Stage;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** {@link CiVerdicts} over the stage adapters: asks them one by one, in order, until one decides. */
@ApplicationScoped
public class FoldedCiVerdicts implements CiVerdicts {

    private final Map<Stage, StageJudge> judges = new EnumMap<>(Stage.class);
    private final CiConfig config;

    @Inject
    FoldedCiVerdicts(Instance<StageJudge> judges, CiConfig config) {
        this(judges.stream().toList(), config);
    }

    FoldedCiVerdicts(List<StageJudge> judges, CiConfig config) {
        judges.forEach(judge -> this.judges.put(judge.stage(), judge));
        this.config = config;
    }

    @Override
    public Uni<Verdict> verdict(Target target) {
        List<Stage> stages = target.stages() == null || target.stages().isEmpty() ? config.stages() : target.stages();
        return judgeInOrder(stages.iterator(), target, new ArrayList<>());
    }

    private Uni<Verdict> judgeInOrder(Iterator<Stage> remaining, Target target, List<Verdict> judged) {
        if (!remaining.hasNext()) {
            return Uni.createFrom().item(VerdictFold.fold(judged));
        }
        Stage stage = remaining.next();
        StageJudge judge = judges.get(stage);
        if (judge == null) {
            return Uni.createFrom().failure(new CiUnavailableException(stage, "no adapter for this stage is installed"));
        }
        return judge.judge(target).flatMap(verdict -> {
            judged.add(verdict);
            return VerdictFold.decides(verdict) ? Uni.createFrom().item(VerdictFold.fold(judged))
                    : judgeInOrder(remaining, target, judged);
        });
    }
}
