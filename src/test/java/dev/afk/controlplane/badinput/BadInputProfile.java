package dev.afk.controlplane.badinput;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * An application start of its own, with a database of its own: the suite hashes every table, and
 * rows other test classes leave behind (a doorbell retrying, a task lease being renewed) would
 * change under it.
 */
public class BadInputProfile implements QuarkusTestProfile {
}
