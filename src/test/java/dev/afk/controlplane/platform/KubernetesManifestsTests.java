package dev.afk.controlplane.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The invariants of k8s/base that docs/operations.md promises, checked on the files themselves. */
class KubernetesManifestsTests {

    private static final Path BASE = Path.of("k8s/base");
    private static final Pattern SECRET_NAME = Pattern.compile(".*(PASSWORD|TOKEN|SECRET|PRIVATE_KEY).*");
    private static final String SECRET_DIR = "/var/run/secrets/afk/";
    /** The rollout check's Roles and RoleBindings live in the namespaces it reads, not in ours. */
    private static final Set<String> READS_OTHER_NAMESPACES = Set.of("Role", "RoleBinding");

    private final KubernetesSerialization serialization = new KubernetesSerialization();

    @Test
    void kustomizationListsEveryManifestAndTheServiceOwnResourcesAreNamespaceAgnostic() throws IOException {
        Map<String, Object> kustomization = yaml("kustomization.yaml");
        @SuppressWarnings("unchecked")
        List<String> resources = (List<String>) kustomization.get("resources");
        try (Stream<Path> files = Files.list(BASE)) {
            List<String> manifests = files.map(f -> f.getFileName().toString())
                    .filter(name -> name.endsWith(".yaml") && !name.equals("kustomization.yaml"))
                    .toList();
            assertThat(resources).containsAll(manifests)
                    .contains("rollout-rbac.yaml", "workspace-volume.yaml");
        }
        for (String resource : resources) {
            if (Files.exists(BASE.resolve(resource))) {
                for (Map<String, Object> document : documents(resource)) {
                    assertThat(document).as(resource).containsKeys("apiVersion", "kind", "metadata");
                    assertThat(map(document.get("metadata"))).as(resource).containsKey("name");
                    if (!READS_OTHER_NAMESPACES.contains(document.get("kind"))) {
                        assertThat(map(document.get("metadata"))).as(resource).doesNotContainKey("namespace");
                    }
                    assertThat(document.get("kind")).as(resource + " inlines no Secret").isNotEqualTo("Secret");
                }
            }
        }
    }

    @Test
    void probesUseTheManagementPort() throws IOException {
        Container container = container();
        assertThat(container.getPorts()).extracting(ContainerPort::getName, ContainerPort::getContainerPort)
                .containsExactlyInAnyOrder(tuple("http", 8080),
                        tuple("management", 9000));
        assertProbe(container.getStartupProbe(), "/q/health/started");
        assertProbe(container.getLivenessProbe(), "/q/health/live");
        assertProbe(container.getReadinessProbe(), "/q/health/ready");
    }

    @Test
    void serviceExposesOnlyTheApiPort() throws IOException {
        Service service = load("service.yaml", Service.class);
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getPort()).isEqualTo(8080);
            assertThat(port.getTargetPort().getStrVal()).isEqualTo("http");
        });
        assertThat(service.getSpec().getPorts()).extracting(ServicePort::getPort).doesNotContain(9000);
    }

    @Test
    void podRunsAsNonRootOnAReadOnlyRootWithoutCapabilities() throws IOException {
        PodSpec pod = pod();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(1001L);
        var security = container().getSecurityContext();
        assertThat(security.getReadOnlyRootFilesystem()).isTrue();
        assertThat(security.getAllowPrivilegeEscalation()).isFalse();
        assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(mountOf("/tmp").getEmptyDir()).isNotNull();
    }

    @Test
    void secretsAreReferencedOrMountedNeverInlined() throws IOException {
        Container container = container();
        assertThat(container.getEnv()).filteredOn(env -> SECRET_NAME.matcher(env.getName()).matches())
                .allSatisfy(env -> {
                    assertThat(env.getValue()).as(env.getName()).isNull();
                    assertThat(env.getValueFrom().getSecretKeyRef()).as(env.getName()).isNotNull();
                });
        assertThat(container.getEnv()).extracting(EnvVar::getName).contains("DB_PASSWORD");

        Volume secrets = mountOf("/var/run/secrets/afk");
        assertThat(secrets.getSecret().getSecretName()).isEqualTo("afk-control-plane-tokens");
        assertThat(container.getVolumeMounts()).filteredOn(m -> m.getMountPath().equals("/var/run/secrets/afk"))
                .extracting(VolumeMount::getReadOnly).containsExactly(true);

        // Secret-looking ConfigMap keys may only name files of the mounted Secret.
        assertThat(configMap().getData()).allSatisfy((key, value) -> {
            if (SECRET_NAME.matcher(key).matches()) {
                assertThat(key).endsWith("_FILE");
                assertThat(value).startsWith(SECRET_DIR);
            }
        });
    }

    @Test
    void configMapCarriesTheKillSwitchLever() throws IOException {
        assertThat(configMap().getData()).containsEntry("AFK_KILL_SWITCH_FORCE_ENGAGED", "false");
        assertThat(container().getEnvFrom()).anySatisfy(source ->
                assertThat(source.getConfigMapRef().getName()).isEqualTo(configMap().getMetadata().getName()));
    }

    @Test
    void workspacesComeFromTheSharedClaim() throws IOException {
        assertThat(mountOf("/workspaces").getPersistentVolumeClaim().getClaimName()).isEqualTo("afk-workspaces");
        assertThat(configMap().getData()).containsEntry("AFK_WORKSPACES_ROOT", "/workspaces");
    }

    @Test
    void severalReplicasAndABudgetThatKeepsOneServing() throws IOException {
        assertThat(load("deployment.yaml", Deployment.class).getSpec().getReplicas()).isGreaterThanOrEqualTo(2);
        Map<String, Object> budget = yaml("poddisruptionbudget.yaml");
        assertThat(map(budget.get("spec"))).containsEntry("minAvailable", 1);
    }

    private static void assertProbe(Probe probe, String path) {
        assertThat(probe).as(path).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("management");
    }

    private Volume mountOf(String path) throws IOException {
        String name = container().getVolumeMounts().stream().filter(m -> m.getMountPath().equals(path))
                .map(VolumeMount::getName).findFirst().orElseThrow(() -> new AssertionError("no mount at " + path));
        return pod().getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst().orElseThrow();
    }

    private PodSpec pod() throws IOException {
        return load("deployment.yaml", Deployment.class).getSpec().getTemplate().getSpec();
    }

    private Container container() throws IOException {
        return pod().getContainers().getFirst();
    }

    private ConfigMap configMap() throws IOException {
        return load("configmap.yaml", ConfigMap.class);
    }

    private <T> T load(String file, Class<T> type) throws IOException {
        try (InputStream in = Files.newInputStream(BASE.resolve(file))) {
            return serialization.unmarshal(in, type);
        }
    }

    private static Map<String, Object> yaml(String file) throws IOException {
        return documents(file).getFirst();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object yaml) {
        return (Map<String, Object>) yaml;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> documents(String file) throws IOException {
        List<Map<String, Object>> documents = new ArrayList<>();
        try (InputStream in = Files.newInputStream(BASE.resolve(file))) {
            for (Object document : new Yaml().loadAll(in)) {
                if (document != null) {
                    documents.add((Map<String, Object>) document);
                }
            }
        }
        return documents;
    }
}
