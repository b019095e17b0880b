package dev.afk.controlplane.security;

/** Operator roles. Each role includes the ones below it: admin ⊇ operator ⊇ viewer. */
public final class Roles {
    public static final String ADMIN = "admin";
    public static final String OPERATOR = "operator";
    public static final String VIEWER = "viewer";

    private Roles() {}
}
