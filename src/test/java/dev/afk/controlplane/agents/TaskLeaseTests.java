package dev.afk.controlplane.agents;

import static dev.afk.controlplane.agents.AgentApi.PATH;
import static dev.afk.controlplane.agents.AgentApi.as;
import static dev.afk.controlplane.agents.AgentApi.person;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Tasks whose replica died: leases, their renewal, and the sweep that fails lapsed ones. */
@QuarkusTest
class TaskLeaseTests {

    @Inject
    TaskService service;

    @Inject
    Pool pool;

    @Test
    void aLapsedRunningTaskIsFailedAsInterruptedAndFreesItsSlot() {
        String nina = person("nina-lease");
        String name = EngineFixture.agentName("lapsed");
        createNative(nina, name, "router", "{\"tag\":\"none\"}", 2);
        UUID running = insertTask(name, TaskStatus.RUNNING, OffsetDateTime.now().minusMinutes(1));
        UUID queued = insertTask(name, TaskStatus.QUEUED, OffsetDateTime.now().minusSeconds(1));
        as(nina).body("{\"message\":\"one more\"}").post(PATH + "/" + name + "/tasks").then().statusCode(429);

        List<TaskStore.Swept> swept = service.sweepExpiredLeases().await().atMost(Duration.ofSeconds(10));

        assertThat(swept).contains(new TaskStore.Swept(running, "interrupted"), new TaskStore.Swept(queued, "not_started"));
        as(nina).get(PATH + "/" + name + "/tasks/" + running).then().statusCode(200)
                .body("status", equalTo("failed")).body("errorCode", equalTo("interrupted"));
        as(nina).get(PATH + "/" + name + "/tasks/" + queued).then().statusCode(200)
                .body("status", equalTo("failed")).body("errorCode", equalTo("not_started"));
        as(nina).get(PATH + "/" + name).then().statusCode(200).body("activeTasks", is(0));
        as(nina).body("{\"message\":\"one more\"}").post(PATH + "/" + name + "/tasks").then().statusCode(202);
    }

    @Test
    void aTaskWhoseLeaseIsRenewedIsNotSwept() {
        String nina = person("nina-renew");
        String name = EngineFixture.agentName("renewed");
        createNative(nina, name, HoldingNodeType.NAME, "{}", 1);
        String id = as(nina).body("{\"message\":\"keep going\"}").post(PATH + "/" + name + "/tasks").then().statusCode(202)
                .extract().path("id");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> as(nina).get(PATH + "/" + name + "/tasks/" + id)
                .then().body("status", equalTo("running")));
        // About to lapse: only a renewal by the replica running it keeps it.
        pool.preparedQuery("update agent_task set lease_until = now() + interval '2 seconds' where id = $1")
                .execute(Tuple.of(UUID.fromString(id))).await().indefinitely();

        await().atMost(Duration.ofSeconds(20)).until(() -> leaseUntil(UUID.fromString(id))
                .isAfter(OffsetDateTime.now().plusSeconds(10)));
        List<TaskStore.Swept> swept = service.sweepExpiredLeases().await().atMost(Duration.ofSeconds(10));

        assertThat(swept).extracting(TaskStore.Swept::id).doesNotContain(UUID.fromString(id));
        as(nina).get(PATH + "/" + name + "/tasks/" + id).then().body("status", equalTo("running"));
        as(nina).post(PATH + "/" + name + "/tasks/" + id + "/cancel").then().statusCode(200)
                .body("status", equalTo("cancelled"));
    }

    @Test
    void racingSweepsFailEachTaskOnce() {
        String nina = person("nina-race");
        String name = EngineFixture.agentName("race");
        createNative(nina, name, "router", "{\"tag\":\"none\"}", 1);
        List<UUID> lapsed = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            lapsed.add(insertTask(name, TaskStatus.RUNNING, OffsetDateTime.now().minusMinutes(1)));
        }

        var both = Uni.combine().all().unis(service.sweepExpiredLeases(), service.sweepExpiredLeases()).asTuple()
                .await().atMost(Duration.ofSeconds(20));

        Set<UUID> first = ids(both.getItem1());
        Set<UUID> second = ids(both.getItem2());
        assertThat(Collections.disjoint(first, second)).as("no task swept by both").isTrue();
        for (UUID id : lapsed) {
            as(nina).get(PATH + "/" + name + "/tasks/" + id).then()
                    .body("status", equalTo("failed")).body("errorCode", equalTo("interrupted"));
        }
    }

    private static void createNative(String token, String name, String nodeType, String config, int capacity) {
        as(token).body("{\"name\":\"" + name + "\",\"nodeType\":\"" + nodeType + "\",\"config\":" + config
                + ",\"maxParallelTasks\":" + capacity + "}").post(PATH).then().statusCode(201);
        as(token).post(PATH + "/" + name + "/start").then().statusCode(200).body("status", equalTo("running"));
    }

    /** A task as a replica that has since died left it: claimed, its lease ending at {@code leaseUntil}. */
    private UUID insertTask(String agent, String status, OffsetDateTime leaseUntil) {
        UUID id = UUID.randomUUID();
        pool.preparedQuery("""
                        insert into agent_task (id, agent_id, status, trigger, requested_by, message, queued_at,
                                                started_at, claimed_by, lease_until)
                        select $1, id, $2, 'manual', 'nina', 'lost work', now(),
                               case when $2 = 'running' then now() end, 'replica-gone', $3
                        from agent where name = $4""")
                .execute(Tuple.of(id, status, leaseUntil, agent)).await().indefinitely();
        return id;
    }

    private OffsetDateTime leaseUntil(UUID id) {
        Row row = pool.preparedQuery("select lease_until from agent_task where id = $1").execute(Tuple.of(id))
                .await().indefinitely().iterator().next();
        return row.getOffsetDateTime("lease_until");
    }

    private static Set<UUID> ids(List<TaskStore.Swept> swept) {
        Set<UUID> ids = new HashSet<>();
        swept.forEach(s -> ids.add(s.id()));
        return ids;
    }
}
