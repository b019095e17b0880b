package dev.afk.controlplane.fakes.t3;

import java.util.List;
import java.util.function.Consumer;

/**
 * What the fake's agent does when a turn starts on a thread. Build one with the factory methods,
 * optionally add {@link #doing(Consumer)} work (e.g. push a commit to a test remote) that runs
 * when the turn completes.
 */
public record AgentScript(Kind kind, String text, List<String> options, Consumer<TurnContext> work) {

    public enum Kind { COMPLETE, ERROR, ASK_QUESTION, REQUEST_APPROVAL, NEVER_FINISH, FAIL_TO_START }

    /** What the scripted work sees of the turn. */
    public record TurnContext(String threadId, String projectId, String branch, String worktreePath, String prompt,
            int turnNumber) {}

    /** The turn completes at once. */
    public static AgentScript complete() {
        return new AgentScript(Kind.COMPLETE, "Done.", List.of(), ctx -> {});
    }

    /** The turn fails: latest turn {@code error}, session {@code error} with this message. */
    public static AgentScript error(String message) {
        return new AgentScript(Kind.ERROR, message, List.of(), ctx -> {});
    }

    /** The agent asks a question (AskUserQuestion) and completes once it is answered. */
    public static AgentScript askQuestion(String question, String... options) {
        return new AgentScript(Kind.ASK_QUESTION, question, List.of(options), ctx -> {});
    }

    /** The agent asks to run a command and completes once the approval is answered. */
    public static AgentScript requestApproval(String command) {
        return new AgentScript(Kind.REQUEST_APPROVAL, command, List.of(), ctx -> {});
    }

    /** The turn runs until interrupted or its session stopped. */
    public static AgentScript neverFinish() {
        return new AgentScript(Kind.NEVER_FINISH, "Working on it.", List.of(), ctx -> {});
    }

    /** The provider cannot start (no binary, no login): {@code provider.turn.start.failed}. */
    public static AgentScript failToStart(String detail) {
        return new AgentScript(Kind.FAIL_TO_START, detail, List.of(), ctx -> {});
    }

    /** Runs this work when the turn completes (after an answer, for questions and approvals). */
    public AgentScript doing(Consumer<TurnContext> work) {
        return new AgentScript(kind, text, options, work);
    }
}
