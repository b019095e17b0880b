package dev.afk.controlplane.agents.container.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.afk.controlplane.agents.EngineFixture;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the adapter sends and reads, checked against the Docker Engine API subset (the published
 * one, extended with the archive operations: contracts/docker-engine-subset.json among the test
 * resources): every request it makes is an operation of
 * the contract with parameters the contract names, and the fields it reads from the engine's
 * answers (projected out of real podman answers) validate against the contract's schemas.
 */
@QuarkusTest
class EngineContractTests {

    private static final String CONTRACT = "/contracts/docker-engine-subset.json";
    private static EngineFixture fixture;
    private static JsonObject contract;

    @BeforeAll
    static void load() throws IOException {
        try (var in = EngineContractTests.class.getResourceAsStream(CONTRACT)) {
            contract = new JsonObject(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
        fixture = new EngineFixture();
    }

    @AfterAll
    static void removeContainers() {
        fixture.close();
    }

    /** The requests DockerEngine makes: method, path template, query parameters. */
    private static final List<List<Object>> REQUESTS = List.of(
            List.of("get", "/containers/json", List.of("all", "filters")),
            List.of("get", "/events", List.of("filters")),
            List.of("get", "/containers/{id}/json", List.of()),
            List.of("post", "/containers/{id}/start", List.of()),
            List.of("post", "/containers/{id}/stop", List.of("t")),
            List.of("get", "/containers/{id}/logs", List.of("stdout", "stderr", "tail")),
            List.of("head", "/containers/{id}/archive", List.of("path")),
            List.of("get", "/containers/{id}/archive", List.of("path")),
            List.of("put", "/containers/{id}/archive", List.of("path")));

    @Test
    @SuppressWarnings("unchecked")
    void everyRequestIsAnOperationOfTheContract() {
        for (List<Object> request : REQUESTS) {
            JsonObject operation = contract.getJsonObject("paths").getJsonObject((String) request.get(1))
                    .getJsonObject((String) request.get(0));
            assertThat(operation).as("%s %s", request.get(0), request.get(1)).isNotNull();
            List<String> names = operation.getJsonArray("parameters", new JsonArray()).stream()
                    .map(p -> ((JsonObject) p).getString("name")).toList();
            assertThat(names).containsAll((List<String>) request.get(2));
        }
    }

    @Test
    void theFieldsReadFromListAndInspectFollowTheContract() {
        String agent = EngineFixture.agentName("contract");
        fixture.createAgentContainer(agent, "claude-code");

        JsonArray list = fixture.get("/containers/json", Map.of("all", "true", "filters", DockerEngine.AGENT_FILTER))
                .bodyAsJsonArray();
        assertThat(list).isNotEmpty();
        Schema summary = schema("ContainerSummary");
        for (Object item : list) {
            JsonObject c = (JsonObject) item;
            JsonObject read = pick(c, "Id", "Names", "Image", "State", "Created", "Labels");
            assertThat(summary.validate(read.encode(), InputFormat.JSON)).as(read.encode()).isEmpty();
        }

        JsonObject inspect = fixture.get("/containers/agent-" + agent + "/json", Map.of()).bodyAsJsonObject();
        JsonObject read = pick(inspect, "Id", "Name")
                .put("Config", pick(inspect.getJsonObject("Config"), "Image", "Labels"))
                .put("State", pick(inspect.getJsonObject("State"), "Status"));
        assertThat(schema("ContainerInspectResponse").validate(read.encode(), InputFormat.JSON)).as(read.encode()).isEmpty();
        assertThat(read.getJsonObject("State").getString("Status")).isEqualTo("created");
    }

    @Test
    void theFieldsReadFromEventsFollowTheContract() {
        long since = System.currentTimeMillis() / 1000 - 1;
        String agent = EngineFixture.agentName("contract-events");
        fixture.createAgentContainer(agent, "codex");
        fixture.remove("agent-" + agent);
        long until = System.currentTimeMillis() / 1000 + 1;

        // since/until make the stream end, so the fixture can read it whole.
        String body = fixture.get("/events", Map.of("filters", DockerEngine.EVENT_FILTER, "since", String.valueOf(since),
                "until", String.valueOf(until))).bodyAsString();
        List<JsonObject> events = body.lines().filter(l -> !l.isBlank()).map(JsonObject::new)
                .filter(e -> e.getJsonObject("Actor").getJsonObject("Attributes").getString("name", "").equals("agent-" + agent))
                .toList();
        assertThat(events).extracting(e -> e.getString("Action")).contains("create");
        Schema message = schema("EventMessage");
        for (JsonObject event : events) {
            JsonObject read = pick(event, "Type", "Action", "time", "timeNano")
                    .put("Actor", pick(event.getJsonObject("Actor"), "ID", "Attributes"));
            assertThat(message.validate(read.encode(), InputFormat.JSON)).as(read.encode()).isEmpty();
            assertThat(DockerEngine.event(io.vertx.core.buffer.Buffer.buffer(event.encode()))).isNotNull();
        }
    }

    private static Schema schema(String definition) {
        JsonObject schema = new JsonObject()
                .put("$ref", "#/definitions/" + definition)
                .put("definitions", contract.getJsonObject("definitions"));
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(schema.encode());
    }

    private static JsonObject pick(JsonObject from, String... fields) {
        JsonObject out = new JsonObject();
        for (String field : fields) {
            if (from.containsKey(field)) {
                out.put(field, from.getValue(field));
            }
        }
        return out;
    }
}
