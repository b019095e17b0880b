package dev.afk.controlplane.agents.container.docker;

import io.vertx.mutiny.core.net.SocketAddress;
import java.net.URI;

/** Where the engine listens: a unix socket or a TCP host and port, as DOCKER_HOST spells it. */
record EngineAddress(SocketAddress socket, String display) {

    static EngineAddress parse(String dockerHost) {
        if (dockerHost.startsWith("unix://")) {
            String path = dockerHost.substring("unix://".length());
            return new EngineAddress(SocketAddress.domainSocketAddress(path), dockerHost);
        }
        if (dockerHost.startsWith("tcp://") || dockerHost.startsWith("http://")) {
            URI uri = URI.create(dockerHost.replaceFirst("^tcp://", "http://"));
            int port = uri.getPort() > 0 ? uri.getPort() : 2375;
            return new EngineAddress(SocketAddress.inetSocketAddress(port, uri.getHost()), dockerHost);
        }
        throw new IllegalArgumentException("Engine address must be unix://path or tcp://host:port, not " + dockerHost);
    }
}
