package dev.afk.controlplane.agents.channels;

import dev.afk.controlplane.common.DomainException;

/** Problems of an agent's channel bindings. */
public class ChannelProblem extends DomainException {

    private ChannelProblem(int status, String type, String title, String detail) {
        super(status, type, title, detail);
    }

    /** Never quotes what was sent: it may be a webhook URL, a secret. */
    static ChannelProblem invalid(String detail) {
        return new ChannelProblem(400, "invalid-channel", "Channel binding is not valid", detail);
    }

    static ChannelProblem notBound(String channel) {
        return new ChannelProblem(404, "channel-not-bound", "Channel not bound", "This agent has no " + channel + " binding");
    }
}
