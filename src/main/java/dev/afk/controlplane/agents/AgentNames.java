package dev.afk.controlplane.agents;

import java.util.regex.Pattern;

/** Agent names: lower-case letters, digits and dashes, as container and DNS names allow. */
final class AgentNames {

    static final String PATTERN = "^[a-z0-9][a-z0-9-]{0,62}$";
    private static final Pattern VALID = Pattern.compile(PATTERN);

    private AgentNames() {}

    static boolean valid(String name) {
        return name != null && VALID.matcher(name).matches();
    }
}
