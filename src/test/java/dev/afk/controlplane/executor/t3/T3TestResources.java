package dev.afk.controlplane.executor.t3;

import dev.afk.controlplane.fakes.t3.FakeT3Resource;
import io.quarkus.test.common.QuarkusTestResource;

/** The fake T3 for the whole suite: the application starts once, already pointed at it. */
@QuarkusTestResource(FakeT3Resource.class)
final class T3TestResources {
    private T3TestResources() {}
}
