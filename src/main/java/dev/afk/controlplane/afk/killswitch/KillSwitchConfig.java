package dev.afk.controlplane.afk.killswitch;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "afk.kill-switch")
public interface KillSwitchConfig {

    /**
     * Forces the kill switch engaged whatever the database says: the ConfigMap lever for an
     * emergency stop that no API call can undo.
     */
    @WithDefault("false")
    boolean forceEngaged();
}
