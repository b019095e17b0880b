package dev.afk.controlplane.workspace.git;

import dev.afk.controlplane.workspace.WorkspacesConfig;
import io.quarkus.runtime.configuration.MemorySize;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** {@link WorkspacesConfig} for plain JUnit tests of the adapter. */
record TestSettings(String root, Optional<String> tokenFile, Duration cloneTimeout, Duration commandTimeout,
        MemorySize diskBudget, Duration orphanGrace) implements WorkspacesConfig {

    static TestSettings under(Path root) {
        return new TestSettings(root.toString(), Optional.empty(), Duration.ofSeconds(60), Duration.ofSeconds(60),
                budget(Long.MAX_VALUE), Duration.ofMinutes(15));
    }

    static MemorySize budget(long bytes) {
        return new MemorySize(BigInteger.valueOf(bytes));
    }

    TestSettings withToken(Path file) {
        return new TestSettings(root, Optional.of(file.toString()), cloneTimeout, commandTimeout, diskBudget, orphanGrace);
    }

    TestSettings withTimeouts(Duration timeout) {
        return new TestSettings(root, tokenFile, timeout, timeout, diskBudget, orphanGrace);
    }

    TestSettings withBudget(long bytes) {
        return new TestSettings(root, tokenFile, cloneTimeout, commandTimeout, budget(bytes), orphanGrace);
    }

    @Override
    public String tokenUsername() {
        return "x-access-token";
    }

    @Override
    public String gitBinary() {
        return "git";
    }

    @Override
    public Housekeeping housekeeping() {
        return new Housekeeping() {
            @Override
            public String every() {
                return "off";
            }

            @Override
            public boolean atStartup() {
                return false;
            }
        };
    }
}
