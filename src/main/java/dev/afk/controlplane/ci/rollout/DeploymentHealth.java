package dev.afk.controlplane.ci.rollout;

import dev.afk.controlplane.ci.CiVerdicts.Check;
import dev.afk.controlplane.ci.CiVerdicts.Outcome;
import dev.afk.controlplane.ci.CiVerdicts.Stage;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Pure: whether a Deployment runs the commit, healthily. The commit must be in its pod template
 * (image tag or commit annotation) before its rollout status means anything; then the rules of
 * {@code kubectl rollout status}: the controller saw the latest spec, the progress deadline was not
 * exceeded, every desired replica is updated and available, and no old replica is left.
 */
final class DeploymentHealth {

    private DeploymentHealth() {}

    static Check of(String namespace, String name, Deployment deployment, String expected, String commitAnnotation) {
        String id = namespace + "/" + name;
        if (deployment == null) {
            return check(id, Outcome.PENDING, "not found");
        }
        List<String> tags = deployment.getSpec().getTemplate().getSpec().getContainers().stream()
                .map(Container::getImage).filter(Objects::nonNull).map(ImageTemplate::tagOf).toList();
        String annotated = Optional.ofNullable(deployment.getSpec().getTemplate().getMetadata())
                .map(m -> m.getAnnotations()).map((Map<String, String> a) -> a.get(commitAnnotation)).orElse(null);
        if (!tags.contains(expected) && !expected.equals(annotated)) {
            return check(id, Outcome.PENDING, "runs " + String.join(", ", tags) + ", not yet " + expected);
        }
        DeploymentStatus status = Optional.ofNullable(deployment.getStatus()).orElseGet(DeploymentStatus::new);
        long generation = Optional.ofNullable(deployment.getMetadata().getGeneration()).orElse(0L);
        long observed = Optional.ofNullable(status.getObservedGeneration()).orElse(0L);
        if (observed < generation) {
            return check(id, Outcome.PENDING, "the controller has not yet observed generation " + generation);
        }
        Optional<DeploymentCondition> deadline = Optional.ofNullable(status.getConditions()).orElse(List.of()).stream()
                .filter(c -> "Progressing".equals(c.getType()) && "ProgressDeadlineExceeded".equals(c.getReason()))
                .findFirst();
        if (deadline.isPresent()) {
            return check(id, Outcome.RED, "progress deadline exceeded"
                    + Optional.ofNullable(deadline.get().getMessage()).map(m -> ": " + m).orElse(""));
        }
        int desired = Optional.ofNullable(deployment.getSpec().getReplicas()).orElse(1);
        int updated = orZero(status.getUpdatedReplicas());
        int available = orZero(status.getAvailableReplicas());
        int total = orZero(status.getReplicas());
        if (updated < desired) {
            return check(id, Outcome.PENDING, updated + " of " + desired + " replicas updated");
        }
        if (total > updated) {
            return check(id, Outcome.PENDING, (total - updated) + " old replicas still terminating");
        }
        if (available < desired) {
            return check(id, Outcome.PENDING, available + " of " + desired + " updated replicas available");
        }
        return check(id, Outcome.GREEN, desired + "/" + desired + " replicas run " + expected);
    }

    static String describeGreen(List<Check> checks) {
        return checks.stream().map(c -> c.name() + " " + c.summary()).collect(Collectors.joining(", "));
    }

    private static Check check(String id, Outcome outcome, String summary) {
        return new Check(Stage.ROLLOUT, id, outcome, null, summary);
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }
}
