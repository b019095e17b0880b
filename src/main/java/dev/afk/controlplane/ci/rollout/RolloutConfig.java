package dev.afk.controlplane.ci.rollout;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

@ConfigMapping(prefix = "afk.ci.rollout")
public interface RolloutConfig {

    /**
     * How the commit appears in the running image's tag (or the commit annotation), for repositories
     * that set none: {@code {sha}} is the full SHA, {@code {sha:N}} its first N characters; any other
     * text is literal, e.g. {@code main-{sha:7}}.
     */
    @WithDefault("{sha:8}")
    String imageTemplate();

    /** Pod-template annotation that may carry the rendered template instead of the image tag. */
    @WithDefault("afk.dev/commit")
    String commitAnnotation();

    /**
     * Namespaces the service may read Deployments in (those its RBAC grants); a repository naming
     * another is refused without asking the cluster. Unset: any namespace.
     */
    Optional<Set<String>> namespaces();

    @WithDefault("10s")
    Duration timeout();
}
