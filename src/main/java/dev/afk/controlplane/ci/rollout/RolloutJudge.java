package dev.afk.controlplane.ci.rollout;

import dev.afk.controlplane.ci.CiUnavailableException;
import dev.afk.controlplane.ci.CiVerdicts.Check;
import dev.afk.controlplane.ci.CiVerdicts.Deployment;
import dev.afk.controlplane.ci.CiVerdicts.Stage;
import dev.afk.controlplane.ci.CiVerdicts.Target;
import dev.afk.controlplane.ci.CiVerdicts.Verdict;
import dev.afk.controlplane.ci.StageJudge;
import dev.afk.controlplane.ci.StageVerdicts;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.List;

/**
 * The Kubernetes rollout stage: every configured Deployment runs the commit's image, healthily.
 * The client is resolved only when a repository has this stage, so an install without a cluster
 * never touches one.
 */
@ApplicationScoped
public class RolloutJudge implements StageJudge {

    private final Instance<KubernetesClient> kubernetes;
    private final RolloutConfig config;

    RolloutJudge(Instance<KubernetesClient> kubernetes, RolloutConfig config) {
        this.kubernetes = kubernetes;
        this.config = config;
    }

    @Override
    public Stage stage() {
        return Stage.ROLLOUT;
    }

    @Override
    public Uni<Verdict> judge(Target target) {
        if (target.deployments() == null || target.deployments().isEmpty()) {
            return Uni.createFrom().failure(new CiUnavailableException(Stage.ROLLOUT,
                    "the repository has a rollout stage but names no Deployments"));
        }
        String template = target.imageTemplate() == null || target.imageTemplate().isBlank()
                ? config.imageTemplate() : target.imageTemplate();
        String expected = ImageTemplate.render(template, target.sha());
        return Multi.createFrom().iterable(target.deployments())
                .onItem().transformToUniAndConcatenate(deployment -> health(deployment, expected))
                .collect().asList()
                .map(checks -> StageVerdicts.of(Stage.ROLLOUT, checks, DeploymentHealth.describeGreen(checks)));
    }

    private Uni<Check> health(Deployment deployment, String expected) {
        if (config.namespaces().isPresent() && !config.namespaces().get().contains(deployment.namespace())) {
            return Uni.createFrom().failure(new CiUnavailableException(Stage.ROLLOUT,
                    "namespace " + deployment.namespace() + " is not in afk.ci.rollout.namespaces"));
        }
        return Uni.createFrom().item(() -> kubernetes.get().apps().deployments()
                        .inNamespace(deployment.namespace()).withName(deployment.name()).get())
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .ifNoItem().after(config.timeout()).failWith(() -> new CiUnavailableException(Stage.ROLLOUT,
                        "the Kubernetes API did not answer within " + config.timeout()))
                .onFailure(KubernetesClientException.class).transform(e -> new CiUnavailableException(Stage.ROLLOUT,
                        "the Kubernetes API refused to read " + deployment.namespace() + "/" + deployment.name()
                                + " (HTTP " + ((KubernetesClientException) e).getCode() + ")"))
                .map(found -> DeploymentHealth.of(deployment.namespace(), deployment.name(), found, expected,
                        config.commitAnnotation()));
    }
}
