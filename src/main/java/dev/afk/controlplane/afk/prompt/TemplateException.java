package dev.afk.controlplane.afk.prompt;

/** A prompt template that cannot be rendered: it blocks dispatch for its repository and is reported. */
public class TemplateException extends RuntimeException {
    public TemplateException(String message) {
        super(message);
    }
}
