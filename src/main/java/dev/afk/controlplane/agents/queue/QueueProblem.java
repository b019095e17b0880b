package dev.afk.controlplane.agents.queue;

import dev.afk.controlplane.common.DomainException;

/** The operator queue's problems. */
public class QueueProblem extends DomainException {

    private QueueProblem(int status, String type, String title, String detail) {
        super(status, type, title, detail);
    }

    /** One answer for "no such item" and "not yours". */
    public static QueueProblem notFound() {
        return new QueueProblem(404, "queue-item-not-found", "Queue item not found", "No queue item with that id is visible to you");
    }

    public static QueueProblem notPending(String state) {
        return new QueueProblem(409, "queue-item-closed", "Queue item closed", "The item is already " + state);
    }

    public static QueueProblem invalidAnswer(String detail) {
        return new QueueProblem(400, "invalid-answer", "Answer is not valid", detail);
    }

    public static QueueProblem notAnswerable() {
        return new QueueProblem(403, "forbidden", "Forbidden",
                "Only the agent's owner, an admin, or the person or role the item is addressed to may answer it");
    }
}
