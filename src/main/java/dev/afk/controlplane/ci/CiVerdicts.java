package dev.afk.controlplane.ci;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.afk.controlplane.common.RepoSlug;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import java.net.URI;
import java.util.List;

/**
 * "Is this commit healthy in production?" — the CI stages of a repository folded in order,
 * stopping at the first that decides.
 */
public interface CiVerdicts {

    Uni<Verdict> verdict(Target target);

    /** What to judge and how: the commit, the repository's stages and their settings. */
    record Target(
            RepoSlug repo,
            String sha,
            String defaultBranch,
            List<Stage> stages,
            List<String> requiredChecks,
            List<Deployment> deployments,
            String imageTemplate) {}

    /** Configured as {@code github-actions}, {@code woodpecker}, {@code rollout}. */
    @RegisterForReflection
    enum Stage {
        GITHUB_ACTIONS("GitHub Actions"),
        WOODPECKER("Woodpecker"),
        ROLLOUT("Kubernetes rollout");

        private final String label;

        Stage(String label) {
            this.label = label;
        }

        /** How people call the stage, for reasons and messages. */
        public String label() {
            return label;
        }
    }

    /** A Kubernetes Deployment that must end up running the commit's image. */
    @RegisterForReflection
    record Deployment(String namespace, String name) {}

    @RegisterForReflection
    enum Outcome {
        GREEN,
        RED,
        PENDING,
        /** CI needs a human's approval to run at all: escalate, never wait forever. */
        ACTION_REQUIRED
    }

    /**
     * One check as a stage saw it. {@code detail} is the CI's own account of it, bounded (a GitHub
     * check run's output title and summary), when it gave one; it is untrusted text.
     */
    @RegisterForReflection
    record Check(Stage stage, String name, Outcome outcome, URI url, String summary,
            @JsonInclude(JsonInclude.Include.NON_NULL) String detail) {

        public Check(Stage stage, String name, Outcome outcome, URI url, String summary) {
            this(stage, name, outcome, url, summary, null);
        }
    }

    /** The folded verdict; {@code checks} lists the failing or pending ones that explain it. */
    record Verdict(Outcome outcome, List<Check> checks, String reason) {

        public Verdict {
            checks = List.copyOf(checks);
        }

        public static Verdict green(String reason) {
            return new Verdict(Outcome.GREEN, List.of(), reason);
        }

        public static Verdict pending(String reason, List<Check> pending) {
            return new Verdict(Outcome.PENDING, pending, reason);
        }

        public static Verdict red(String reason, List<Check> failing) {
            return new Verdict(Outcome.RED, failing, reason);
        }
    }
}
