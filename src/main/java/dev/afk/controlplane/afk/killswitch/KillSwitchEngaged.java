package dev.afk.controlplane.afk.killswitch;

/**
 * An executor command refused because the kill switch is engaged. Not a failure of the command:
 * the work it belongs to waits, and is sent once the switch is released.
 */
public class KillSwitchEngaged extends RuntimeException {

    public KillSwitchEngaged() {
        super("the global kill switch is engaged", null, false, false);
    }
}
