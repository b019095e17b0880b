package dev.afk.controlplane.common;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** Exists only in tests: raises failures the real resources should never raise on purpose. */
@Path("/api/test-only")
@PermitAll
public class FailingTestResource {

    static class TestConflict extends DomainException {
        TestConflict() {
            super(409, "test-conflict", "Conflict", "it clashes");
        }
    }

    @GET
    @Path("/boom")
    public String boom() {
        throw new IllegalStateException("secret internal detail");
    }

    @GET
    @Path("/conflict")
    public String conflict() {
        throw new TestConflict();
    }
}
