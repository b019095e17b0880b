package dev.afk.controlplane.workspace;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "afk.workspaces")
public interface WorkspacesConfig {

    /** The volume shared with the executor pod: checkouts and worktrees all live under it. */
    @WithDefault("/workspaces")
    String root();

    /** File holding the forge token that answers git's password prompt; absent: anonymous access. */
    Optional<String> tokenFile();

    /** User name sent with the token (GitHub accepts any; {@code x-access-token} suits App tokens). */
    @WithDefault("x-access-token")
    String tokenUsername();

    /** The git executable. */
    @WithDefault("git")
    String gitBinary();

    /** Longest a first clone may take before it is killed. */
    @WithDefault("30m")
    Duration cloneTimeout();

    /** Longest any other git command (fetch, worktree, gc) may take before it is killed. */
    @WithDefault("5m")
    Duration commandTimeout();

    /** Above this, housekeeping evicts least-recently-used checkouts that no live run uses. */
    @WithDefault("50G")
    MemorySize diskBudget();

    /** A worktree younger than this is never treated as an orphan (it may belong to a run being created). */
    @WithDefault("15m")
    Duration orphanGrace();

    Housekeeping housekeeping();

    interface Housekeeping {

        /** How often prune, gc and eviction run ({@code off} disables the schedule). */
        @WithDefault("1h")
        String every();

        /** Whether start-up reports and cleans worktrees no live run owns. */
        @WithDefault("true")
        boolean atStartup();
    }
}
