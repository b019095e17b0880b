package dev.afk.controlplane.platform;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.yaml.snakeyaml.Yaml;

/**
 * Renders a kustomization the way {@code kustomize build} does, for the handful of features
 * k8s/ uses: resources (files and directories), {@code labels} (metadata only),
 * {@code configMapGenerator} without name hashes, {@code patches} (strategic merge with
 * {@code $patch: delete}, and JSON 6902 add/replace/remove), an inline {@code NamespaceTransformer}
 * with {@code unsetOnly}, {@code replicas} and {@code images}. Any other field fails loudly, so a
 * manifest change that needs more cannot pass unnoticed. No kustomize binary is packaged for the
 * build machines; where one is installed, {@link #installed()} renders with it and the tests compare.
 */
public final class Kustomize {

    private static final Set<String> FIELDS = Set.of("apiVersion", "kind", "resources", "labels",
            "configMapGenerator", "transformers", "images", "replicas", "patches");
    private static final Set<String> SCALABLE = Set.of("Deployment", "StatefulSet", "ReplicaSet");
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
            "CustomResourceDefinition", "PersistentVolume", "StorageClass");

    private Kustomize() {
    }

    /** The resources {@code dir}'s kustomization.yaml produces. */
    public static List<Map<String, Object>> build(Path dir) {
        Map<String, Object> k = map(load(dir.resolve("kustomization.yaml")).getFirst());
        for (String field : k.keySet()) {
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException(dir + ": kustomization field '" + field + "' is not supported here");
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (String resource : strings(k.get("resources"))) {
            Path path = dir.resolve(resource).normalize();
            out.addAll(Files.isDirectory(path) ? build(path) : load(path));
        }
        for (Object generator : list(k.get("configMapGenerator"))) {
            out.add(configMap(dir, map(generator)));
        }
        for (Object patch : list(k.get("patches"))) {
            patch(dir, map(patch), out);
        }
        for (Object transformer : list(k.get("transformers"))) {
            namespace(map(new Yaml().load((String) transformer)), out);
        }
        for (Object labels : list(k.get("labels"))) {
            Map<String, Object> spec = map(labels);
            if (!Boolean.FALSE.equals(spec.get("includeSelectors")) || spec.containsKey("includeTemplates")) {
                throw new IllegalArgumentException("only metadata labels (includeSelectors: false) are supported");
            }
            out.forEach(resource -> child(child(resource, "metadata"), "labels").putAll(map(spec.get("pairs"))));
        }
        for (Object replicas : list(k.get("replicas"))) {
            Map<String, Object> spec = map(replicas);
            out.stream().filter(r -> SCALABLE.contains(kind(r)) && spec.get("name").equals(name(r)))
                    .forEach(r -> child(r, "spec").put("replicas", spec.get("count")));
        }
        for (Object image : list(k.get("images"))) {
            images(map(image), out);
        }
        return out;
    }

    /** The same kustomization rendered by an installed kustomize (or kubectl), if there is one. */
    public static Optional<List<Map<String, Object>>> installed(Path dir) {
        for (List<String> command : List.of(List.of("kustomize", "build"), List.of("kubectl", "kustomize"))) {
            Optional<String> yaml = run(command, dir);
            if (yaml.isPresent()) {
                List<Map<String, Object>> out = new ArrayList<>();
                new Yaml().loadAll(yaml.get()).forEach(d -> out.add(map(d)));
                return Optional.of(out);
            }
        }
        return Optional.empty();
    }

    public static String kind(Map<String, Object> resource) {
        return (String) resource.get("kind");
    }

    public static String name(Map<String, Object> resource) {
        return (String) map(resource.get("metadata")).get("name");
    }

    public static String namespace(Map<String, Object> resource) {
        return (String) map(resource.get("metadata")).get("namespace");
    }

    private static Map<String, Object> configMap(Path dir, Map<String, Object> generator) {
        Map<String, Object> options = map(generator.getOrDefault("options", Map.of()));
        if (!Boolean.TRUE.equals(options.get("disableNameSuffixHash")) || generator.containsKey("literals")) {
            throw new IllegalArgumentException("configMapGenerator: only files with disableNameSuffixHash: true");
        }
        Map<String, Object> data = new LinkedHashMap<>();
        for (String file : strings(generator.get("files"))) {
            String[] keyAndPath = file.contains("=") ? file.split("=", 2) : new String[] {Path.of(file).getFileName().toString(), file};
            try {
                data.put(keyAndPath[0], Files.readString(dir.resolve(keyAndPath[1])));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", generator.get("name"));
        if (options.containsKey("labels")) {
            metadata.put("labels", new LinkedHashMap<>(map(options.get("labels"))));
        }
        Map<String, Object> configMap = new LinkedHashMap<>();
        configMap.put("apiVersion", "v1");
        configMap.put("kind", "ConfigMap");
        configMap.put("metadata", metadata);
        configMap.put("data", data);
        return configMap;
    }

    private static void patch(Path dir, Map<String, Object> spec, List<Map<String, Object>> resources) {
        Object patch = spec.containsKey("path") ? load(dir.resolve((String) spec.get("path"))).getFirst()
                : new Yaml().load((String) spec.get("patch"));
        if (patch instanceof List<?> operations) {
            Map<String, Object> target = map(spec.get("target"));
            List<Map<String, Object>> matched = resources.stream()
                    .filter(r -> target.get("kind").equals(kind(r)) && target.get("name").equals(name(r))).toList();
            if (matched.isEmpty()) {
                throw new IllegalArgumentException("patch target " + target + " matches nothing");
            }
            matched.forEach(r -> operations.forEach(op -> json6902(r, map(op))));
            return;
        }
        Map<String, Object> merge = map(patch);
        Map<String, Object> target = resources.stream()
                .filter(r -> Objects.equals(kind(r), merge.get("kind")) && Objects.equals(name(r), name(merge)))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("patch " + name(merge) + " matches nothing"));
        if ("delete".equals(merge.get("$patch"))) {
            resources.remove(target);
        } else {
            strategicMerge(target, merge);
        }
    }

    /** Maps merge key by key; lists of named maps (containers, env, volumes) merge by name; other lists are replaced. */
    @SuppressWarnings("unchecked")
    private static void strategicMerge(Map<String, Object> target, Map<String, Object> patch) {
        patch.forEach((key, value) -> {
            Object existing = target.get(key);
            if (value instanceof Map<?, ?> && existing instanceof Map<?, ?>) {
                strategicMerge((Map<String, Object>) existing, (Map<String, Object>) value);
            } else if (value instanceof List<?> patches && existing instanceof List<?> items && named(patches) && named(items)) {
                for (Object item : patches) {
                    Object name = map(item).get("name");
                    items.stream().map(Kustomize::map).filter(i -> name.equals(i.get("name"))).findFirst()
                            .ifPresentOrElse(i -> strategicMerge(i, map(item)), () -> ((List<Object>) items).add(item));
                }
            } else {
                target.put(key, value);
            }
        });
    }

    private static boolean named(List<?> items) {
        return !items.isEmpty() && items.stream().allMatch(i -> i instanceof Map<?, ?> m && m.containsKey("name"));
    }

    @SuppressWarnings("unchecked")
    private static void json6902(Map<String, Object> resource, Map<String, Object> op) {
        String[] path = ((String) op.get("path")).substring(1).split("/");
        Object parent = resource;
        for (int i = 0; i < path.length - 1; i++) {
            parent = parent instanceof List<?> l ? l.get(Integer.parseInt(path[i])) : map(parent).get(path[i]);
        }
        String last = path[path.length - 1];
        switch ((String) op.get("op")) {
            case "add", "replace" -> {
                if (parent instanceof List<?> l) {
                    if ("-".equals(last)) {
                        ((List<Object>) l).add(op.get("value"));
                    } else if ("add".equals(op.get("op"))) {
                        ((List<Object>) l).add(Integer.parseInt(last), op.get("value"));
                    } else {
                        ((List<Object>) l).set(Integer.parseInt(last), op.get("value"));
                    }
                } else {
                    map(parent).put(last, op.get("value"));
                }
            }
            case "remove" -> {
                if (parent instanceof List<?> l) {
                    l.remove(Integer.parseInt(last));
                } else {
                    map(parent).remove(last);
                }
            }
            default -> throw new IllegalArgumentException("JSON patch op " + op.get("op") + " is not supported here");
        }
    }

    private static void namespace(Map<String, Object> transformer, List<Map<String, Object>> resources) {
        if (!"NamespaceTransformer".equals(transformer.get("kind")) || !Boolean.TRUE.equals(transformer.get("unsetOnly"))) {
            throw new IllegalArgumentException("only an inline NamespaceTransformer with unsetOnly: true is supported");
        }
        String namespace = namespace(transformer);
        resources.stream().filter(r -> !CLUSTER_SCOPED.contains(kind(r)) && namespace(r) == null)
                .forEach(r -> map(r.get("metadata")).put("namespace", namespace));
    }

    private static void images(Map<String, Object> image, List<Map<String, Object>> resources) {
        for (Map<String, Object> resource : resources) {
            Object template = map(resource.getOrDefault("spec", Map.of())).get("template");
            if (template == null) {
                continue;
            }
            Map<String, Object> pod = map(map(template).get("spec"));
            for (String field : List.of("initContainers", "containers")) {
                for (Object container : list(pod.get(field))) {
                    Map<String, Object> c = map(container);
                    String current = (String) c.get("image");
                    String currentName = current.split("[:@]", 2)[0];
                    if (currentName.equals(image.get("name"))) {
                        String tag = current.contains(":") ? current.substring(current.indexOf(':') + 1) : null;
                        String newName = (String) image.getOrDefault("newName", currentName);
                        Object newTag = image.getOrDefault("newTag", tag);
                        c.put("image", newTag == null ? newName : newName + ":" + newTag);
                    }
                }
            }
        }
    }

    private static Optional<String> run(List<String> command, Path dir) {
        List<String> full = new ArrayList<>(command);
        full.add(dir.toAbsolutePath().toString());
        try {
            Process process = new ProcessBuilder(full).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", full) + " failed");
            }
            return Optional.of(out);
        } catch (IOException notInstalled) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<Map<String, Object>> load(Path file) {
        List<Map<String, Object>> documents = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            for (Object document : new Yaml().loadAll(in)) {
                if (document != null) {
                    documents.add(map(document));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return documents;
    }

    private static Map<String, Object> child(Map<String, Object> parent, String key) {
        return map(parent.computeIfAbsent(key, k -> new LinkedHashMap<>()));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object yaml) {
        return (Map<String, Object>) yaml;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object yaml) {
        return yaml == null ? List.of() : (List<Object>) yaml;
    }

    private static List<String> strings(Object yaml) {
        return list(yaml).stream().map(String.class::cast).toList();
    }
}
