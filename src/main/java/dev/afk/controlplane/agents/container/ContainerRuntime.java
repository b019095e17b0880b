package dev.afk.controlplane.agents.container;

import dev.afk.controlplane.agents.runtime.AgentRuntime;
import dev.afk.controlplane.agents.runtime.AgentSpec;
import dev.afk.controlplane.agents.runtime.AgentStatus;
import dev.afk.controlplane.agents.runtime.Feature;
import dev.afk.controlplane.agents.runtime.RegistryConfig;
import dev.afk.controlplane.agents.runtime.RuntimeKind;
import dev.afk.controlplane.agents.runtime.TaskOutcome;
import dev.afk.controlplane.agents.runtime.TaskRequest;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Container agents: lifecycle through the container engine, tasks POSTed to the agent's own HTTP
 * server with Trinity's {@code /api/task} contract.
 */
@ApplicationScoped
public class ContainerRuntime implements AgentRuntime {

    private static final Logger LOG = Logger.getLogger(ContainerRuntime.class);
    private static final Set<Feature> ALL = Collections.unmodifiableSet(EnumSet.allOf(Feature.class));
    /** Session resume is a Claude Code feature: Trinity hides it for the other harnesses. */
    private static final Map<String, Set<Feature>> BY_HARNESS = Map.of(
            "codex", without(Feature.SESSIONS),
            "gemini-cli", without(Feature.SESSIONS));

    private final ContainerEngine engine;
    private final WebClient agents;
    private final String agentUrl;

    ContainerRuntime(ContainerEngine engine, Vertx vertx, RegistryConfig config) {
        this.engine = engine;
        this.agents = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(5_000));
        this.agentUrl = config.container().agentUrl();
    }

    @PreDestroy
    void close() {
        agents.close();
    }

    @Override
    public RuntimeKind kind() {
        return RuntimeKind.CONTAINER;
    }

    @Override
    public Set<Feature> features(AgentSpec agent) {
        return agent.harness() == null ? ALL : BY_HARNESS.getOrDefault(agent.harness(), ALL);
    }

    @Override
    public Uni<String> status(AgentSpec agent) {
        return engine.inspect(AgentContainer.containerName(agent.name()))
                .map(found -> found.map(AgentContainer::status).orElse(AgentStatus.MISSING))
                .onFailure(EngineUnavailableException.class).recoverWithItem(AgentStatus.UNKNOWN);
    }

    @Override
    public Uni<Void> start(AgentSpec agent) {
        return engine.start(AgentContainer.containerName(agent.name()));
    }

    @Override
    public Uni<Void> stop(AgentSpec agent) {
        return engine.stop(AgentContainer.containerName(agent.name()));
    }

    @Override
    public Uni<TaskOutcome> execute(AgentSpec agent, TaskRequest task) {
        JsonObject body = new JsonObject()
                .put("message", task.message())
                .put("execution_id", task.id().toString())
                .put("timeout_seconds", task.timeout().toSeconds());
        return agents.postAbs(taskUrl(agent.name()))
                .timeout(task.timeout().toMillis())
                .sendJsonObject(body)
                .map(ContainerRuntime::outcome)
                .onFailure().recoverWithItem(ContainerRuntime::transportFailure);
    }

    /** Trinity's terminate route; its answer (terminated / already_finished) changes nothing here. */
    @Override
    public Uni<Void> cancel(AgentSpec agent, UUID taskId) {
        return agents.postAbs(baseUrl(agent.name()) + "/api/executions/" + taskId + "/terminate")
                .timeout(10_000)
                .send()
                .replaceWithVoid()
                .onFailure().invoke(e -> LOG.debugf("Terminate of task %s on %s failed: %s", taskId, agent.name(), e))
                .onFailure().recoverWithNull();
    }

    String taskUrl(String agentName) {
        return baseUrl(agentName) + "/api/task";
    }

    private String baseUrl(String agentName) {
        return agentUrl.replace("{name}", agentName);
    }

    /** Trinity's agent server: 200 with {response, status}; 429 capacity, 503 auth, 504 timeout. */
    private static TaskOutcome outcome(HttpResponse<Buffer> response) {
        return switch (response.statusCode()) {
            case 200 -> {
                JsonObject json = response.bodyAsJsonObject();
                Object answer = json == null ? null : json.getValue("response");
                if (json != null && "cancelled".equals(json.getString("status"))) {
                    yield TaskOutcome.failed("cancelled", "The agent cancelled the task");
                }
                yield TaskOutcome.succeeded(answer == null ? null : String.valueOf(answer));
            }
            case 429 -> TaskOutcome.failed("capacity", "The agent is at capacity");
            case 503 -> TaskOutcome.failed("auth", "The agent could not authenticate to its model provider");
            case 504 -> TaskOutcome.failed("timeout", "The agent timed out");
            default -> TaskOutcome.failed("agent_error", "The agent answered HTTP " + response.statusCode());
        };
    }

    private static TaskOutcome transportFailure(Throwable e) {
        boolean timeout = e instanceof TimeoutException || e instanceof java.util.concurrent.TimeoutException
                || String.valueOf(e.getMessage()).contains("timeout");
        return timeout ? TaskOutcome.failed("timeout", "The agent did not answer in time")
                : TaskOutcome.failed("network", "The agent's server cannot be reached");
    }

    private static Set<Feature> without(Feature feature) {
        EnumSet<Feature> set = EnumSet.allOf(Feature.class);
        set.remove(feature);
        return Collections.unmodifiableSet(set);
    }
}
