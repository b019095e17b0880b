package dev.afk.controlplane.platform;

import static dev.afk.controlplane.platform.Kustomize.kind;
import static dev.afk.controlplane.platform.Kustomize.name;
import static dev.afk.controlplane.platform.Kustomize.namespace;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The dev and prod overlays, rendered as kustomize renders them: every ConfigMap key and Secret
 * the Deployment references exists (the Secrets as docs/operations.md tells operators to create
 * them), the rollout Role sits where the service will look, and the dashboard ships with them.
 */
class KubernetesOverlaysTests {

    static final Path DASHBOARD = Path.of("k8s/base/dashboards/afk-control-plane.json");
    private static final Map<String, String> NAMESPACE = Map.of("dev", "afk-dev", "prod", "afk");
    private static final Set<String> IN_ROLLOUT_NAMESPACES = Set.of("Role", "RoleBinding");

    private final KubernetesSerialization serialization = new KubernetesSerialization();

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
    void renderingAgreesWithAnInstalledKustomize(String dir) {
        List<Map<String, Object>> ours = Kustomize.build(Path.of("k8s", dir));
        assertThat(ours).isNotEmpty();
        // Build machines have no kustomize package; where one is installed, it is the reference.
        Kustomize.installed(Path.of("k8s", dir)).ifPresent(theirs ->
                assertThat(byId(ours)).isEqualTo(byId(theirs)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyConfigMapKeyAndSecretTheDeploymentReferencesExists(String overlay) throws IOException {
        List<HasMetadata> resources = render(overlay);
        Deployment deployment = one(resources, Deployment.class);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Map<String, Set<String>> secrets = documentedSecrets();
        for (Container container : Stream.concat(pod.getInitContainers().stream(), pod.getContainers().stream()).toList()) {
            for (EnvFromSource from : container.getEnvFrom()) {
                assertThat(configMap(resources, from.getConfigMapRef().getName())).as(from.toString()).isNotNull();
            }
            for (EnvVar env : container.getEnv()) {
                var source = env.getValueFrom();
                if (source != null && source.getConfigMapKeyRef() != null) {
                    assertThat(configMap(resources, source.getConfigMapKeyRef().getName()).getData())
                            .containsKey(source.getConfigMapKeyRef().getKey());
                }
                if (source != null && source.getSecretKeyRef() != null) {
                    assertThat(secrets).as("docs/operations.md creates the Secret of " + env.getName())
                            .containsKey(source.getSecretKeyRef().getName());
                    assertThat(secrets.get(source.getSecretKeyRef().getName())).contains(source.getSecretKeyRef().getKey());
                }
            }
            for (VolumeMount mount : container.getVolumeMounts()) {
                Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst()
                        .orElseThrow(() -> new AssertionError("no volume " + mount.getName()));
                if (volume.getSecret() != null) {
                    String secret = volume.getSecret().getSecretName();
                    assertThat(secrets).as("docs/operations.md creates " + secret).containsKey(secret);
                    // The ConfigMap points *_FILE keys into the mount: each file is a key of the Secret.
                    String prefix = mount.getMountPath() + "/";
                    for (EnvFromSource from : container.getEnvFrom()) {
                        configMap(resources, from.getConfigMapRef().getName()).getData().forEach((key, value) -> {
                            if (value.startsWith(prefix)) {
                                assertThat(secrets.get(secret)).as(key).contains(value.substring(prefix.length()));
                            }
                        });
                    }
                }
                if (volume.getPersistentVolumeClaim() != null) {
                    assertThat(resources).as("the claim " + volume.getPersistentVolumeClaim().getClaimName())
                            .anyMatch(r -> r.getKind().equals("PersistentVolumeClaim")
                                    && r.getMetadata().getName().equals(volume.getPersistentVolumeClaim().getClaimName()));
                }
            }
        }
        assertThat(resources).filteredOn(r -> r.getKind().equals("ServiceAccount"))
                .extracting(r -> r.getMetadata().getName()).contains(pod.getServiceAccountName());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theRolloutRoleIsWhereTheServiceLooksAndBindsItsAccount(String overlay) throws IOException {
        List<HasMetadata> resources = render(overlay);
        String namespace = NAMESPACE.get(overlay);
        Deployment deployment = one(resources, Deployment.class);
        Set<String> configured = Arrays.stream(configMap(resources, "afk-control-plane").getData()
                .get("AFK_CI_ROLLOUT_NAMESPACES").split(",")).map(String::trim).collect(Collectors.toSet());

        assertThat(resources).filteredOn(r -> !IN_ROLLOUT_NAMESPACES.contains(r.getKind()))
                .allSatisfy(r -> assertThat(r.getMetadata().getNamespace()).as(r.getKind()).isEqualTo(namespace));
        assertThat(resources).filteredOn(r -> r instanceof Role).extracting(r -> r.getMetadata().getNamespace())
                .containsExactlyInAnyOrderElementsOf(configured);
        assertThat(resources).filteredOn(r -> r instanceof RoleBinding).hasSize(configured.size())
                .allSatisfy(r -> assertThat(((RoleBinding) r).getSubjects()).singleElement().satisfies(subject -> {
                    assertThat(subject.getNamespace()).isEqualTo(namespace);
                    assertThat(subject.getName()).isEqualTo(deployment.getSpec().getTemplate().getSpec().getServiceAccountName());
                }));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theDashboardShipsAsAConfigMapForGrafanasSidecar(String overlay) throws IOException {
        ConfigMap dashboard = configMap(render(overlay), "afk-control-plane-dashboard");
        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        assertThat(dashboard.getData()).containsOnlyKeys("afk-control-plane.json")
                .containsEntry("afk-control-plane.json", Files.readString(DASHBOARD));
        JsonNode json = new ObjectMapper().readTree(Files.readString(DASHBOARD));
        assertThat(json.path("uid").asText()).isEqualTo("afk-control-plane");
        assertThat(json.path("panels")).isNotEmpty().allSatisfy(panel ->
                assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty()
                        .allSatisfy(target -> assertThat(target.path("expr").asText()).isNotBlank()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void overlaysPinAnImageAndKeepTheBudgetHonest(String overlay) throws IOException {
        List<HasMetadata> resources = render(overlay);
        Deployment deployment = one(resources, Deployment.class);
        assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage())
                .startsWith("registry.example.org/afk/afk-control-plane:");
        // A PodDisruptionBudget of minAvailable 1 on a single replica would block every node drain.
        boolean budget = resources.stream().anyMatch(r -> r.getKind().equals("PodDisruptionBudget"));
        assertThat(budget).isEqualTo(deployment.getSpec().getReplicas() > 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theMigrateStepRunsTheSameImageBeforeTheServiceWhichDoesNotMigrate(String overlay) throws IOException {
        PodSpec pod = one(render(overlay), Deployment.class).getSpec().getTemplate().getSpec();
        Container service = pod.getContainers().getFirst();
        assertThat(pod.getInitContainers()).singleElement().satisfies(migrate -> {
            assertThat(migrate.getName()).isEqualTo("migrate");
            assertThat(migrate.getImage()).isEqualTo(service.getImage());
            assertThat(migrate.getImagePullPolicy()).isEqualTo(service.getImagePullPolicy());
            assertThat(migrate.getEnvFrom()).isEqualTo(service.getEnvFrom());
            assertThat(env(migrate, "QUARKUS_PROFILE")).isEqualTo("prod,migrate");
            assertThat(migrate.getEnv()).filteredOn(e -> e.getName().equals("DB_PASSWORD"))
                    .isEqualTo(service.getEnv().stream().filter(e -> e.getName().equals("DB_PASSWORD")).toList());
            assertThat(migrate.getSecurityContext()).isEqualTo(service.getSecurityContext());
            assertThat(migrate.getResources().getLimits()).containsKeys("cpu", "memory");
        });
        // The service runs the production profile, which neither migrates nor opens JDBC ...
        assertThat(service.getEnv()).noneMatch(e -> e.getName().equals("QUARKUS_PROFILE"));
        assertThat(configMap(render(overlay), "afk-control-plane").getData())
                .doesNotContainKeys("QUARKUS_PROFILE", "QUARKUS_FLYWAY_MIGRATE_AT_START", "QUARKUS_DATASOURCE_JDBC_URL");
        // ... and the migrate profile migrates and exits: application.properties says both.
        String properties = Files.readString(Path.of("src/main/resources/application.properties"));
        assertThat(properties).contains("%prod.quarkus.flyway.migrate-at-start=false", "%prod.quarkus.datasource.jdbc.url=\n",
                "%migrate.quarkus.flyway.migrate-at-start=true", "%migrate.quarkus.init-and-exit=true",
                "%migrate.quarkus.datasource.jdbc.url=jdbc:postgresql://");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theJvmIsSizedForThePodsLimits(String overlay) throws IOException {
        PodSpec pod = one(render(overlay), Deployment.class).getSpec().getTemplate().getSpec();
        for (Container container : Stream.concat(pod.getInitContainers().stream(), pod.getContainers().stream()).toList()) {
            String options = env(container, "JDK_JAVA_OPTIONS");
            var limits = container.getResources().getLimits();
            // The thread pools are sized from the processor count: the JVM's is the CPU limit.
            assertThat(flag(options, "-XX:ActiveProcessorCount=")).as(container.getName())
                    .isEqualTo(limits.get("cpu").getNumericalAmount().toBigInteger().toString());
            assertThat(options).as(container.getName()).contains("-XX:+UseSerialGC");
            double percent = Double.parseDouble(flag(options, "-XX:MaxRAMPercentage="));
            assertThat(percent).as(container.getName()).isBetween(25.0, 75.0);
        }
        // The webhook limits are measured against a 768 MiB heap (bench/webhook-held-connections).
        Container service = pod.getContainers().getFirst();
        double heap = service.getResources().getLimits().get("memory").getNumericalAmount().doubleValue()
                * Double.parseDouble(flag(env(service, "JDK_JAVA_OPTIONS"), "-XX:MaxRAMPercentage=")) / 100;
        assertThat(heap).isEqualTo(768 * 1024 * 1024.0);
    }

    private static String env(Container container, String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " sets no " + name));
    }

    private static String flag(String options, String prefix) {
        return Arrays.stream(options.split("\\s+")).filter(o -> o.startsWith(prefix)).map(o -> o.substring(prefix.length()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + prefix + " in " + options));
    }

    /** Secret name → keys, from the {@code kubectl create secret generic} commands in docs/operations.md. */
    static Map<String, Set<String>> documentedSecrets() throws IOException {
        String docs = Files.readString(Path.of("docs/operations.md")).replace("\\\n", " ");
        Map<String, Set<String>> secrets = new HashMap<>();
        Matcher command = Pattern.compile("create secret generic (\\S+)([^\\n]*)").matcher(docs);
        while (command.find()) {
            Set<String> keys = new HashSet<>();
            Matcher key = Pattern.compile("--from-(?:literal|file)=([^=\\s]+)").matcher(command.group(2));
            while (key.find()) {
                keys.add(key.group(1));
            }
            secrets.put(command.group(1), keys);
        }
        return secrets;
    }

    private List<HasMetadata> render(String overlay) {
        List<Map<String, Object>> resources = Kustomize.build(Path.of("k8s/overlays", overlay));
        return resources.stream().map(r -> (HasMetadata) serialization.unmarshal(serialization.asYaml(r))).toList();
    }

    private static <T> T one(List<HasMetadata> resources, Class<T> type) {
        List<T> found = resources.stream().filter(type::isInstance).map(type::cast).toList();
        assertThat(found).hasSize(1);
        return found.getFirst();
    }

    private static ConfigMap configMap(List<HasMetadata> resources, String name) {
        return resources.stream().filter(r -> r instanceof ConfigMap && r.getMetadata().getName().equals(name))
                .map(ConfigMap.class::cast).findFirst().orElseThrow(() -> new AssertionError("no ConfigMap " + name));
    }

    private static Map<String, Map<String, Object>> byId(List<Map<String, Object>> resources) {
        Map<String, Map<String, Object>> byId = new HashMap<>();
        resources.forEach(r -> assertThat(byId.put(kind(r) + "/" + namespace(r) + "/" + name(r), r)).isNull());
        return byId;
    }
}
