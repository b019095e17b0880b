package dev.afk.controlplane.agents.container;

/** A file in a container that is not read: too large, or not a regular file. Not worth asking again until it changes. */
public class UnreadableFileException extends RuntimeException {

    public UnreadableFileException(String message) {
        super(message);
    }
}
