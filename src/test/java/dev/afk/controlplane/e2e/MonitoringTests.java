package dev.afk.controlplane.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.afk.controlplane.fakes.CiDoorbellFakes;
import dev.afk.controlplane.platform.Kustomize;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Every metric the Grafana dashboard and the PrometheusRule query is one the service exports:
 * after an issue has gone through dispatch, a red deploy, a fix-forward and a green one to DONE
 * (so the lazily registered counters exist), each series name and label they use must appear in
 * the live {@code /q/metrics}.
 */
@QuarkusTest
@TestProfile(EndToEndProfile.class)
class MonitoringTests extends EndToEndScenario {

    /** Series Prometheus adds itself, and the target labels the PodMonitor attaches to every series. */
    private static final Set<String> FROM_PROMETHEUS = Set.of("up");
    private static final Set<String> TARGET_LABELS = Set.of("job", "namespace", "pod", "instance", "container", "endpoint");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "and", "or", "unless", "bool", "offset");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    @Test
    void theDashboardAndTheAlertsQueryOnlyExportedMetrics() throws IOException {
        Fixture repo = enroll("monitored");
        int issue = readyIssue(repo, "alice");
        agent(repo, turn -> {
            String sha = push(repo, turn, issue, "Attempt " + turn.turnNumber());
            CiDoorbellFakes.woodpecker().addPipeline(repo.woodpeckerId(), sha, "main",
                    turn.turnNumber() == 1 ? "failure" : "success", "test");
        });
        assertThat(tickUntil(repo, "DONE", 30).getInt("run.fixForwardAttempts")).isEqualTo(1);
        String ref = repo.slug() + "#" + issue;
        await().atMost(Duration.ofSeconds(20)).until(() -> CiDoorbellFakes.slack().delivered().stream()
                .anyMatch(m -> m.path("text").asText().startsWith("[Done] " + ref)));

        Map<String, Set<String>> exported = exported();
        List<String> queries = new ArrayList<>(dashboardQueries());
        assertThat(queries).hasSizeGreaterThan(10);
        List<String> alerts = alertQueries();
        assertThat(alerts).hasSizeGreaterThan(5);
        queries.addAll(alerts);
        for (String query : queries) {
            Query parsed = parse(query);
            assertThat(parsed.metrics()).as(query).isNotEmpty();
            Set<String> labels = new HashSet<>(TARGET_LABELS);
            for (String metric : parsed.metrics()) {
                if (!FROM_PROMETHEUS.contains(metric)) {
                    assertThat(exported).as("exported by /q/metrics, used in " + query).containsKey(metric);
                    labels.addAll(exported.get(metric));
                }
            }
            assertThat(labels).as("labels of " + parsed.metrics() + " in " + query).containsAll(parsed.labels());
        }
    }

    @Test
    void theParserFindsMetricsAndLabelsButNotFunctionsOrKeywords() {
        Query query = parse("sum by (channel, outcome) (increase(afk_doorbell_deliveries_total{namespace=~\"$namespace\", "
                + "outcome=~\"retry|failed\"}[$__rate_interval])) / on(pod) group_left max(up) > 0 unless absent(afk_x)");
        assertThat(query.metrics()).containsExactlyInAnyOrder("afk_doorbell_deliveries_total", "up", "afk_x");
        assertThat(query.labels()).containsExactlyInAnyOrder("channel", "outcome", "namespace", "pod");
    }

    record Query(Set<String> metrics, Set<String> labels) {}

    /** The series names and label names a PromQL expression refers to. */
    static Query parse(String promql) {
        Set<String> labels = new HashSet<>();
        String rest = promql.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"");
        Matcher matchers = Pattern.compile("\\{([^}]*)}").matcher(rest);
        while (matchers.find()) {
            Matcher label = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)").matcher(matchers.group(1));
            while (label.find()) {
                labels.add(label.group(1));
            }
        }
        rest = rest.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ");
        Matcher grouping = Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)").matcher(rest);
        while (grouping.find()) {
            for (String label : grouping.group(1).split(",")) {
                if (!label.isBlank()) {
                    labels.add(label.trim());
                }
            }
        }
        rest = grouping.replaceAll(" ");
        Set<String> metrics = new HashSet<>();
        Matcher identifier = IDENTIFIER.matcher(rest);
        while (identifier.find()) {
            boolean function = rest.substring(identifier.end()).stripLeading().startsWith("(");
            if (!function && !KEYWORDS.contains(identifier.group())) {
                metrics.add(identifier.group());
            }
        }
        return new Query(metrics, labels);
    }

    /** Series name → the label names it carries, from the Prometheus text of the management port. */
    private static Map<String, Set<String>> exported() {
        int port = ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
        String text = given().get("http://localhost:" + port + "/q/metrics").then().statusCode(200).extract().asString();
        Map<String, Set<String>> exported = new HashMap<>();
        Pattern sample = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s");
        for (String line : text.split("\n")) {
            Matcher m = sample.matcher(line);
            if (!line.startsWith("#") && m.find()) {
                Set<String> labels = exported.computeIfAbsent(m.group(1), k -> new HashSet<>());
                if (m.group(2) != null) {
                    Matcher label = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"").matcher(m.group(2));
                    while (label.find()) {
                        labels.add(label.group(1));
                    }
                }
            }
        }
        return exported;
    }

    private static List<String> dashboardQueries() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(Path.of("k8s/base/dashboards/afk-control-plane.json")));
        List<String> queries = new ArrayList<>();
        dashboard.path("panels").forEach(panel -> panel.path("targets").forEach(t -> queries.add(t.path("expr").asText())));
        dashboard.path("templating").path("list").forEach(variable -> {
            if (variable.path("query").has("query")) {
                queries.add(variable.path("query").path("query").asText().replaceAll("^label_values\\((\\w+),.*", "$1"));
            }
        });
        return queries;
    }

    @SuppressWarnings("unchecked")
    private static List<String> alertQueries() {
        Map<String, Object> rule = Kustomize.build(Path.of("k8s/overlays/prod")).stream()
                .filter(r -> "PrometheusRule".equals(Kustomize.kind(r))).findFirst().orElseThrow();
        List<String> queries = new ArrayList<>();
        for (Object group : (List<Object>) ((Map<String, Object>) rule.get("spec")).get("groups")) {
            for (Object r : (List<Object>) ((Map<String, Object>) group).get("rules")) {
                queries.add((String) ((Map<String, Object>) r).get("expr"));
            }
        }
        return queries;
    }
}
