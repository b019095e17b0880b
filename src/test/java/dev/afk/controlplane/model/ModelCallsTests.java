package dev.afk.controlplane.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.afk.controlplane.fakes.anthropic.FakeMessagesApi;
import dev.afk.controlplane.fakes.anthropic.FakeMessagesApiResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Model calls through the SDK against the fake Messages API: answers, retries, budgets, the ledger. */
@QuarkusTest
class ModelCallsTests {

    static final Model.Tool TOOL = new Model.Tool("verdict", "a verdict",
            Map.of("type", "object", "properties", Map.of("ok", Map.of("type", "boolean")), "required", List.of("ok")));

    @Inject
    ModelCalls calls;

    @Inject
    ModelBudget budget;

    @Inject
    Pool pool;

    FakeMessagesApi fake;

    @BeforeEach
    void reset() {
        fake = FakeMessagesApiResource.fake();
        fake.reset();
    }

    static ModelBudget.Caller caller(String agent) {
        return new ModelBudget.Caller(agent, "triage", UUID.randomUUID());
    }

    static <T> T await(Uni<T> uni) {
        return uni.await().atMost(Duration.ofSeconds(30));
    }

    @Test
    void anAnswerIsTheForcedToolsInputAndItsCostIsSettledInTheLedger() {
        fake.then(body -> fake.toolAnswer(body, Map.of("ok", true), 1200, 300));

        ModelCalls.Judged judged = await(calls.ask(caller("ledger-agent"), "be brief", "is it ok?", TOOL));

        assertThat(new JsonObject(judged.answer().toolInputJson()).getBoolean("ok")).isTrue();
        assertThat(judged.answer().inputTokens()).isEqualTo(1200);
        assertThat(judged.answer().outputTokens()).isEqualTo(300);
        // 1200 × $3/M + 300 × $15/M
        assertThat(judged.costUsd()).isEqualByComparingTo("0.0081");
        Row row = await(pool.preparedQuery("select * from model_call where agent = $1").execute(Tuple.of("ledger-agent")))
                .iterator().next();
        assertThat(row.getString("status")).isEqualTo("settled");
        assertThat(row.getLong("tokens")).isEqualTo(1500);
        assertThat(row.getBigDecimal("cost_usd")).isEqualByComparingTo("0.0081");

        // What was sent: the SDK's request, forcing the tool, with the configured model and key.
        JsonObject sent = new JsonObject(fake.calls().getLast().body());
        assertThat(sent.getJsonObject("tool_choice").getString("name")).isEqualTo("verdict");
        assertThat(sent.getJsonObject("tool_choice").getString("type")).isEqualTo("tool");
        assertThat(sent.getString("model")).isEqualTo("claude-sonnet-4-6");
        assertThat(sent.getJsonArray("tools").getJsonObject(0).getBoolean("strict")).isTrue();
    }

    @Test
    void overloadIsRetriedWithinItsBound() {
        fake.then(FakeMessagesApi::overloaded).then(FakeMessagesApi::overloaded)
                .then(body -> fake.toolAnswer(body, Map.of("ok", true), 10, 5));

        ModelCalls.Judged judged = await(calls.ask(caller("overload-agent"), "s", "u", TOOL));

        assertThat(judged.answer().toolInputJson()).contains("true");
        assertThat(fake.calls()).hasSize(3);
    }

    @Test
    void overloadPastTheRetriesFailsAndCostsNothing() {
        fake.whenIdle(FakeMessagesApi::overloaded);

        assertThatThrownBy(() -> await(calls.ask(caller("down-agent"), "s", "u", TOOL)))
                .isInstanceOf(ModelUnavailable.class)
                .satisfies(e -> assertThat(((ModelUnavailable) e).code()).isEqualTo("overloaded"));

        assertThat(fake.calls()).hasSize(3); // one call and two retries
        ModelBudget.Spent spent = await(budget.spentToday("down-agent"));
        assertThat(spent.agentTokens()).isZero();
        assertThat(spent.agentUsd()).isEqualByComparingTo(BigDecimal.ZERO);
    }

    @Test
    void aRateLimitWaitsWhatRetryAfterAsks() {
        fake.then(body -> FakeMessagesApi.rateLimited("1")).then(body -> fake.toolAnswer(body, Map.of("ok", false), 10, 5));

        long started = System.nanoTime();
        await(calls.ask(caller("limited-agent"), "s", "u", TOOL));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(fake.calls()).hasSize(2);
    }

    @Test
    void aRetryAfterLongerThanTheLimitFailsAtOnce() {
        fake.then(body -> FakeMessagesApi.rateLimited("600"));

        assertThatThrownBy(() -> await(calls.ask(caller("patient-agent"), "s", "u", TOOL)))
                .isInstanceOf(ModelUnavailable.class)
                .isNotInstanceOf(ModelUnavailable.Busy.class)
                .satisfies(e -> assertThat(((ModelUnavailable) e).code()).isEqualTo("rate_limited"));
        assertThat(fake.calls()).hasSize(1);
    }

    @Test
    void aRefusedCallIsNotRetried() {
        fake.then(body -> FakeMessagesApi.error(400, "invalid_request_error", "bad"));

        assertThatThrownBy(() -> await(calls.ask(caller("refused-agent"), "s", "u", TOOL)))
                .isInstanceOf(ModelUnavailable.class)
                .satisfies(e -> assertThat(((ModelUnavailable) e).code()).isEqualTo("refused"));
        assertThat(fake.calls()).hasSize(1);
    }

    @Test
    void anAgentOverItsDailyTokensIsRefusedBeforeTheCall() {
        // The agent budget is 200000 tokens a day: spend nearly all of it.
        await(budget.reserve(caller("spent-agent"), "m", 199_500, BigDecimal.ZERO)
                .flatMap(id -> budget.settle(id, 199_000, 500, BigDecimal.ZERO)));
        fake.whenIdle(body -> fake.toolAnswer(body, Map.of("ok", true), 1, 1));

        assertThatThrownBy(() -> await(calls.ask(caller("spent-agent"), "s", "u", TOOL)))
                .isInstanceOf(OverBudget.class).hasMessageContaining("spent-agent").hasMessageContaining("tokens a day");
        assertThat(fake.calls()).isEmpty();

        // Another agent still has its own budget.
        await(calls.ask(caller("fresh-agent"), "s", "u", TOOL));
        assertThat(fake.calls()).hasSize(1);
    }

    @Test
    void anAgentOverItsDailyDollarsIsRefusedBeforeTheCall() {
        await(budget.reserve(caller("rich-agent"), "m", 10, new BigDecimal("1.999"))
                .flatMap(id -> budget.settle(id, 5, 5, new BigDecimal("1.999"))));

        assertThatThrownBy(() -> await(calls.ask(caller("rich-agent"), "s", "u", TOOL)))
                .isInstanceOf(OverBudget.class).hasMessageContaining("USD");
        assertThat(fake.calls()).isEmpty();
    }

    @Test
    void theGlobalBudgetIsCheckedAcrossAgents() {
        ModelConfig.NodeTypeModel limits = calls.limits("triage");
        ModelBudget.Spent nearlyAll = new ModelBudget.Spent(0, BigDecimal.ZERO, 1_999_990, BigDecimal.ONE);
        assertThat(budget.refusal(nearlyAll, 100, BigDecimal.ZERO, limits, "a")).contains("the service");
        ModelBudget.Spent dollars = new ModelBudget.Spent(0, BigDecimal.ZERO, 0, new BigDecimal("19.99"));
        assertThat(budget.refusal(dollars, 1, new BigDecimal("0.02"), limits, "a")).contains("the service").contains("USD");
        assertThat(budget.refusal(new ModelBudget.Spent(0, BigDecimal.ZERO, 0, BigDecimal.ZERO), 1, BigDecimal.ZERO, limits, "a"))
                .isNull();
    }
}
