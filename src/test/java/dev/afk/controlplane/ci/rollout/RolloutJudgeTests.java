package dev.afk.controlplane.ci.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.afk.controlplane.ci.CiUnavailableException;
import dev.afk.controlplane.ci.CiVerdicts;
import dev.afk.controlplane.ci.CiVerdicts.Check;
import dev.afk.controlplane.ci.CiVerdicts.Outcome;
import dev.afk.controlplane.ci.CiVerdicts.Stage;
import dev.afk.controlplane.ci.CiVerdicts.Target;
import dev.afk.controlplane.ci.CiVerdicts.Verdict;
import dev.afk.controlplane.ci.FoldedCiVerdicts;
import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.fakes.CiDoorbellFakes;
import dev.afk.controlplane.fakes.github.FakeGitHubResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every rollout case against the fabric8 mock API server (CRUD mode). All rollout tests live in
 * this one class: the mock server restarts the application once for it.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class RolloutJudgeTests {

    private static final String NEW = "c0ffee00d15ea5e0123456789abcdef012345678";
    private static final String OLD = "0ld0ld00d15ea5e0123456789abcdef012345678";

    @Inject
    RolloutJudge judge;

    @Inject
    FoldedCiVerdicts verdicts;

    @Inject
    KubernetesClient kubernetes;

    private static String name() {
        return "web-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * A Deployment of {@code image}, with the rollout status the cluster reports. The mock API server
     * keeps the generation itself (1 on create), so an observed generation of 1 or more is current.
     */
    private void deploy(String namespace, String name, String image, int desired, long observed,
            int replicas, int updated, int available, String progressingReason) {
        Deployment deployment = new DeploymentBuilder()
                .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().withReplicas(desired)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage(image).endContainer()
                .addNewContainer().withName("proxy").withImage("envoyproxy/envoy:v1.31").endContainer().endSpec()
                .endTemplate().endSpec()
                .withNewStatus().withObservedGeneration(observed).withReplicas(replicas).withUpdatedReplicas(updated)
                .withAvailableReplicas(available)
                .addNewCondition().withType("Progressing").withStatus(progressingReason.equals("ProgressDeadlineExceeded") ? "False" : "True")
                .withReason(progressingReason).withMessage("ReplicaSet \"" + name + "\" " + progressingReason).endCondition()
                .endStatus()
                .build();
        kubernetes.apps().deployments().inNamespace(namespace).resource(deployment).create();
        kubernetes.apps().deployments().inNamespace(namespace).resource(deployment).updateStatus();
    }

    private void healthy(String namespace, String name, String image) {
        deploy(namespace, name, image, 3, 1, 3, 3, 3, "NewReplicaSetAvailable");
    }

    private Verdict verdict(String imageTemplate, CiDeployment... deployments) {
        return judge.judge(target(List.of(Stage.ROLLOUT), imageTemplate, deployments)).await().atMost(Duration.ofSeconds(20));
    }

    private static Target target(List<Stage> stages, String imageTemplate, CiDeployment... deployments) {
        return new Target(RepoSlug.parse("acme/rollout"), NEW, "main", stages, List.of(),
                List.of(deployments).stream().map(d -> new CiVerdicts.Deployment(d.namespace(), d.name())).toList(),
                imageTemplate);
    }

    private record CiDeployment(String namespace, String name) {}

    @Test
    void aCompletedRolloutOfTheNewImageIsGreen() {
        String name = name();
        healthy("prod", name, "ghcr.io/acme/web:c0ffee00");

        Verdict verdict = verdict(null, new CiDeployment("prod", name));

        assertThat(verdict.outcome()).isEqualTo(Outcome.GREEN);
        assertThat(verdict.reason()).isEqualTo("Kubernetes rollout: prod/" + name + " 3/3 replicas run c0ffee00");
    }

    @Test
    void aStalledRolloutIsPendingWithWhatIsMissing() {
        String updating = name();
        String terminating = name();
        String unavailable = name();
        deploy("prod", updating, "ghcr.io/acme/web:c0ffee00", 3, 1, 4, 1, 3, "ReplicaSetUpdated");
        deploy("prod", terminating, "ghcr.io/acme/web:c0ffee00", 3, 1, 4, 3, 3, "ReplicaSetUpdated");
        deploy("prod", unavailable, "ghcr.io/acme/web:c0ffee00", 3, 1, 3, 3, 1, "ReplicaSetUpdated");

        Verdict verdict = verdict(null, new CiDeployment("prod", updating), new CiDeployment("prod", terminating),
                new CiDeployment("prod", unavailable));

        assertThat(verdict.outcome()).isEqualTo(Outcome.PENDING);
        assertThat(verdict.checks()).extracting(Check::summary).containsExactly(
                "1 of 3 replicas updated", "1 old replicas still terminating", "1 of 3 updated replicas available");
    }

    @Test
    void aSpecTheControllerHasNotSeenYetIsPending() {
        String name = name();
        healthy("prod", name, "ghcr.io/acme/web:0ld0ld00");
        // The API server bumps the generation on a spec change; no controller runs here to observe it.
        Deployment changed = kubernetes.apps().deployments().inNamespace("prod").withName(name)
                .edit(d -> new DeploymentBuilder(d).editSpec().editTemplate().editSpec().editFirstContainer()
                        .withImage("ghcr.io/acme/web:c0ffee00").endContainer().endSpec().endTemplate().endSpec().build());

        assertThat(verdict(null, new CiDeployment("prod", name)).checks()).extracting(Check::summary)
                .containsExactly("the controller has not yet observed generation " + changed.getMetadata().getGeneration());
    }

    @Test
    void anExceededProgressDeadlineIsRedEvenBesideAHealthyDeployment() {
        String healthy = name();
        String stuck = name();
        healthy("prod", healthy, "ghcr.io/acme/web:c0ffee00");
        deploy("prod", stuck, "ghcr.io/acme/worker:c0ffee00", 2, 1, 3, 1, 2, "ProgressDeadlineExceeded");

        Verdict verdict = verdict(null, new CiDeployment("prod", healthy), new CiDeployment("prod", stuck));

        assertThat(verdict.outcome()).isEqualTo(Outcome.RED);
        assertThat(verdict.checks()).extracting(Check::name).containsExactly("prod/" + stuck);
        assertThat(verdict.checks().get(0).summary()).startsWith("progress deadline exceeded");
    }

    @Test
    void aHealthyRolloutOfTheOldImageIsNotGreen() {
        String name = name();
        healthy("prod", name, "ghcr.io/acme/web:0ld0ld00");

        Verdict verdict = verdict(null, new CiDeployment("prod", name));

        assertThat(verdict.outcome()).isEqualTo(Outcome.PENDING);
        assertThat(verdict.checks()).extracting(Check::summary).containsExactly("runs 0ld0ld00, v1.31, not yet c0ffee00");
    }

    @Test
    void theRepositorysTemplateOrTheCommitAnnotationIdentifiesTheNewImage() {
        String tagged = name();
        String annotated = name();
        healthy("staging", tagged, "registry.local:5000/acme/web:main-c0ffee0");
        healthy("staging", annotated, "registry.local:5000/acme/web:latest");
        kubernetes.apps().deployments().inNamespace("staging").withName(annotated)
                .edit(d -> new DeploymentBuilder(d).editSpec().editTemplate().editMetadata()
                        .addToAnnotations(Map.of("afk.dev/commit", "main-c0ffee0")).endMetadata().endTemplate().endSpec().build());
        kubernetes.apps().deployments().inNamespace("staging").withName(annotated)
                .editStatus(d -> new DeploymentBuilder(d).editStatus().withObservedGeneration(d.getMetadata().getGeneration())
                        .endStatus().build());

        assertThat(verdict("main-{sha:7}", new CiDeployment("staging", tagged), new CiDeployment("staging", annotated)).outcome())
                .isEqualTo(Outcome.GREEN);
        assertThat(verdict(null, new CiDeployment("staging", tagged)).outcome()).as("the install's {sha:8}").isEqualTo(Outcome.PENDING);
    }

    @Test
    void aMissingDeploymentIsPending() {
        assertThat(verdict(null, new CiDeployment("prod", "never-created")).checks()).extracting(Check::summary)
                .containsExactly("not found");
    }

    @Test
    void aNamespaceOutsideTheAllowedOnesIsRefusedWithoutAskingTheCluster() {
        assertThatThrownBy(() -> verdict(null, new CiDeployment("kube-system", "coredns")))
                .isInstanceOf(CiUnavailableException.class)
                .hasMessageContaining("kube-system is not in afk.ci.rollout.namespaces");
    }

    @Test
    void aRolloutStageWithoutDeploymentsIsAConfigurationError() {
        assertThatThrownBy(() -> verdict(null)).isInstanceOf(CiUnavailableException.class)
                .hasMessageContaining("names no Deployments");
    }

    @Test
    void theFoldRunsTheBuildThenTheDeployThenTheRolloutAgainstTheFakes() {
        String name = name();
        healthy("prod", name, "ghcr.io/acme/web:c0ffee00");
        FakeGitHubResource.fake().repo("acme/rollout").checkRun(NEW, "build", "completed", "success", 77);
        long repo = CiDoorbellFakes.woodpecker().addRepo("acme/rollout", "main");
        CiDoorbellFakes.woodpecker().addPipeline(repo, NEW, "main", "success");

        Verdict verdict = verdicts.verdict(target(List.of(Stage.GITHUB_ACTIONS, Stage.WOODPECKER, Stage.ROLLOUT), null,
                new CiDeployment("prod", name))).await().atMost(Duration.ofSeconds(20));

        assertThat(verdict.outcome()).isEqualTo(Outcome.GREEN);
        assertThat(verdict.reason()).isEqualTo("GitHub Actions: 1 checks passed; Woodpecker: pipeline #1 success; "
                + "Kubernetes rollout: prod/" + name + " 3/3 replicas run c0ffee00");
    }
}
