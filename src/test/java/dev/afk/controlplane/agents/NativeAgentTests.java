package dev.afk.controlplane.agents;

import static dev.afk.controlplane.agents.AgentApi.PATH;
import static dev.afk.controlplane.agents.AgentApi.admin;
import static dev.afk.controlplane.agents.AgentApi.as;
import static dev.afk.controlplane.agents.AgentApi.createRouter;
import static dev.afk.controlplane.agents.AgentApi.person;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Native agents through the REST API: lifecycle, validation, soft delete, access, features. */
@QuarkusTest
class NativeAgentTests {

    private static String unique(String hint) {
        return EngineFixture.agentName(hint);
    }

    @Test
    void createStartStopAndListANativeAgent() {
        String nina = person("nina");
        String name = unique("router");
        createRouter(nina, name, "pool", "ops").statusCode(201)
                .header("Location", containsString(PATH + "/" + name))
                .body("name", equalTo(name))
                .body("runtimeKind", equalTo("native"))
                .body("nodeType", equalTo("router"))
                .body("owner", equalTo("nina"))
                .body("status", equalTo("stopped"))
                .body("desiredState", equalTo("stopped"))
                .body("features", contains("overview", "tasks", "sharing", "settings"))
                .body("nodeConfig.tag", equalTo("pool"))
                .body("maxParallelTasks", is(3))
                .body("canShare", is(true));

        as(nina).post(PATH + "/" + name + "/start").then().statusCode(200)
                .body("status", equalTo("running")).body("desiredState", equalTo("running"));
        as(nina).get(PATH + "/" + name + "/status").then().statusCode(200).body("status", equalTo("running"));

        JsonPath list = as(nina).queryParam("kind", "native").queryParam("size", 500).get(PATH).then().statusCode(200)
                .extract().jsonPath();
        Map<String, Object> item = list.getMap("items.find { it.name == '" + name + "' }");
        assertThat(item).containsEntry("status", "running").containsEntry("runtimeKind", "native")
                .containsEntry("needsStart", false);
        assertThat(list.getList("items.runtimeKind", String.class)).containsOnly("native");

        as(nina).post(PATH + "/" + name + "/stop").then().statusCode(200).body("status", equalTo("stopped"));
        as(nina).queryParam("status", "running").queryParam("size", 500).get(PATH).then()
                .body("items.name", not(org.hamcrest.Matchers.hasItem(name)));
    }

    @Test
    void listFiltersByTagsAndPages() {
        String nina = person("nina-pages");
        String tag = unique("tag");
        for (int i = 0; i < 3; i++) {
            createRouter(nina, unique("p" + i), "pool", tag).statusCode(201);
        }
        createRouter(nina, unique("untagged"), "pool").statusCode(201);

        as(nina).queryParam("tags", tag + ",nothing").queryParam("size", 2).get(PATH).then().statusCode(200)
                .body("total", is(3)).body("items.size()", is(2)).body("page", is(0))
                .body("sources.database", equalTo("available"));
        as(nina).queryParam("tags", tag).queryParam("size", 2).queryParam("page", 1).get(PATH).then()
                .body("items.size()", is(1));
        as(nina).queryParam("size", 0).get(PATH).then().statusCode(400).contentType("application/problem+json");
        as(nina).queryParam("kind", "vm").get(PATH).then().statusCode(400);
    }

    @Test
    void badInputIs400AndCreatesNothing() {
        String nina = person("nina");
        String name = unique("bad");
        as(nina).body("{\"name\":\"Bad Name\",\"nodeType\":\"router\",\"config\":{\"tag\":\"x\"}}").post(PATH).then()
                .statusCode(400).contentType("application/problem+json");
        as(nina).body("{\"name\":\"" + name + "\",\"nodeType\":\"oracle\"}").post(PATH).then()
                .statusCode(400).body("detail", containsString("oracle"));
        as(nina).body("{\"name\":\"" + name + "\",\"nodeType\":\"router\",\"config\":{}}").post(PATH).then()
                .statusCode(400).body("detail", containsString("tag"));
        as(nina).body("{\"name\":\"" + name + "\",\"nodeType\":\"router\",\"config\":{\"tag\":\"x\",\"extra\":1}}").post(PATH)
                .then().statusCode(400).body("detail", containsString("extra"));
        as(nina).body("{\"name\":\"" + name + "\",\"runtimeKind\":\"container\",\"nodeType\":\"router\",\"config\":{\"tag\":\"x\"}}")
                .post(PATH).then().statusCode(400);
        as(nina).get(PATH + "/" + name).then().statusCode(404);
    }

    @Test
    void softDeleteHidesTheAgentAndKeepsItsNameReserved() {
        String nina = person("nina");
        String name = unique("deleted");
        createRouter(nina, name, "pool").statusCode(201);

        as(person("sam")).delete(PATH + "/" + name).then().statusCode(404);
        as(nina).delete(PATH + "/" + name).then().statusCode(204);

        as(nina).get(PATH + "/" + name).then().statusCode(404);
        as(admin()).queryParam("size", 500).get(PATH).then().body("items.name", not(org.hamcrest.Matchers.hasItem(name)));
        createRouter(person("olga"), name, "pool").statusCode(409)
                .body("type", equalTo("urn:afk:problem:agent-name-taken"));
    }

    @Test
    void everyAgentRouteAnswersTheSame404ForMissingAndNotYours() {
        String nina = person("nina");
        String name = unique("private");
        createRouter(nina, name, "pool").statusCode(201);
        String sam = person("sam");

        for (String agent : List.of(name, unique("never-existed"))) {
            for (String[] route : new String[][] {{"GET", ""}, {"GET", "/status"}, {"POST", "/start"}, {"POST", "/stop"},
                    {"DELETE", ""}, {"GET", "/tasks"}, {"GET", "/shares"}, {"GET", "/logs"}, {"GET", "/stats"},
                    {"GET", "/tasks/00000000-0000-0000-0000-000000000000"}}) {
                as(sam).request(route[0], PATH + "/" + agent + route[1]).then().statusCode(404)
                        .contentType("application/problem+json")
                        .body("type", equalTo("urn:afk:problem:agent-not-found"))
                        .body("detail", equalTo("No agent of that name is visible to you"));
            }
            as(sam).body("{\"message\":\"hi\"}").post(PATH + "/" + agent + "/tasks").then().statusCode(404);
            as(sam).body("{\"email\":\"x@example.org\"}").post(PATH + "/" + agent + "/shares").then().statusCode(404);
        }
        as(sam).queryParam("size", 500).get(PATH).then().body("items.name", not(org.hamcrest.Matchers.hasItem(name)));
    }

    @Test
    void sharesLetOthersSeeAndUseButNotManage() {
        String nina = person("nina");
        String name = unique("shared");
        createRouter(nina, name, "pool").statusCode(201);

        as(nina).body("{\"email\":\"Sam@Example.org\"}").post(PATH + "/" + name + "/shares").then().statusCode(201)
                .body("email", equalTo("sam@example.org")).body("sharedBy", equalTo("nina"));
        as(nina).get(PATH + "/" + name + "/shares").then().statusCode(200).body("email", contains("sam@example.org"));

        String sam = person("sam");
        as(sam).get(PATH + "/" + name).then().statusCode(200)
                .body("canShare", is(false)).body("canDelete", is(false)).body("shares", nullValue());
        as(sam).queryParam("size", 500).get(PATH).then().body("items.name", org.hamcrest.Matchers.hasItem(name));
        as(sam).get(PATH + "/" + name + "/tasks").then().statusCode(200);
        as(sam).post(PATH + "/" + name + "/start").then().statusCode(404);
        as(sam).get(PATH + "/" + name + "/shares").then().statusCode(404);
        as(sam).delete(PATH + "/" + name).then().statusCode(404);

        as(admin()).get(PATH + "/" + name).then().statusCode(200).body("canShare", is(true));
        as(admin()).post(PATH + "/" + name + "/start").then().statusCode(200);

        as(nina).delete(PATH + "/" + name + "/shares/sam@example.org").then().statusCode(204);
        as(sam).get(PATH + "/" + name).then().statusCode(404);
        // A share falls back to the principal name when the token has no e-mail claim.
        as(nina).body("{\"email\":\"vera@example.org\"}").post(PATH + "/" + name + "/shares").then().statusCode(201);
        as(AgentApi.token("vera@example.org", null, "afk-viewers")).get(PATH + "/" + name).then().statusCode(200);
    }

    @Test
    void routesOfMissingFeaturesAre409NamingTheFeature() {
        String nina = person("nina");
        String name = unique("nofeat");
        createRouter(nina, name, "pool").statusCode(201);
        for (String feature : List.of("logs", "stats")) {
            as(nina).get(PATH + "/" + name + "/" + feature).then().statusCode(409)
                    .contentType("application/problem+json")
                    .body("type", equalTo("urn:afk:problem:feature-not-supported"))
                    .body("detail", containsString("'" + feature + "'"));
        }
    }

    @Test
    void aStoppedAgentTakesNoTasks() {
        String nina = person("nina");
        String name = unique("idle");
        createRouter(nina, name, "pool").statusCode(201);
        as(nina).body("{\"message\":\"route me\"}").post(PATH + "/" + name + "/tasks").then().statusCode(409)
                .body("type", equalTo("urn:afk:problem:agent-not-running"));
        as(nina).body("{\"message\":\"\"}").post(PATH + "/" + name + "/tasks").then().statusCode(400);
        as(nina).get(PATH + "/" + name + "/tasks").then().statusCode(200).body("size()", is(0));
    }

    /** Names are global (ADR 0007): a taken name is a 409 for anyone, and tells nothing but that. */
    @Test
    void aTakenNameIsA409ThatTellsNothingElse() {
        String name = unique("taken");
        createRouter(person("nina"), name, "pool").statusCode(201);
        String vera = person("vera");
        as(vera).get(PATH + "/" + name).then().statusCode(404);
        createRouter(vera, name, "other").statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("urn:afk:problem:agent-name-taken"))
                .body("detail", not(containsString("nina"))).body("detail", not(containsString("router")));
    }
}
