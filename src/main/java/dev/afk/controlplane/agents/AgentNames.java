package dev.afk.controlplane.agents;

import java.util.regex.Pattern;

/**
 * Agent names: lower-case letters, digits and dashes, as container and DNS names allow. Names
 * starting with {@code afk-} belong to the agents the service makes itself (one per enrolled
 * repository), so nobody can take one before its repository is enrolled.
 */
final class AgentNames {

    static final String PATTERN = "^[a-z0-9][a-z0-9-]{0,62}$";
    private static final Pattern VALID = Pattern.compile(PATTERN);

    static final String RESERVED_PREFIX = "afk-";

    private AgentNames() {}

    static boolean reserved(String name) {
        return name.startsWith(RESERVED_PREFIX);
    }

    static boolean valid(String name) {
        return name != null && VALID.matcher(name).matches();
    }
}
