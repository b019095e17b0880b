package dev.afk.controlplane.common;

/**
 * A failure the caller can act on. Every package throws its own subclasses; {@link ProblemMappers}
 * turns them into RFC 9457 problem+json once, so resources never build error responses by hand.
 */
public abstract class DomainException extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;

    protected DomainException(int status, String type, String title, String detail) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
    }

    /** HTTP status of the problem. */
    public int status() {
        return status;
    }

    /** Short, stable slug identifying the kind of problem, e.g. {@code feature-not-supported}. */
    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }
}
