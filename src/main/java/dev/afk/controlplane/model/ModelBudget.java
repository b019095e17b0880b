package dev.afk.controlplane.model;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * The ledger of model calls ({@code model_call}) and the daily budgets it enforces. A call is
 * reserved before it is made, at the most it may cost (its estimated input and its whole output
 * allowance), under one advisory lock, so replicas calling at once cannot overspend together; it is
 * then settled at what it cost, or failed at nothing (an unanswered call is not charged). A
 * reservation a crash left behind keeps counting until the day ends: it errs on the side of spending less.
 */
@ApplicationScoped
public class ModelBudget {

    private static final long LOCK = 0x6166_6b2d_6d6f_64L; // "afk-mod"

    private final Pool pool;
    private final Clock clock;
    private final ModelConfig config;

    ModelBudget(Pool pool, Clock clock, ModelConfig config) {
        this.pool = pool;
        this.clock = clock;
        this.config = config;
    }

    /** Who is calling: the agent, its node type, and the task the call belongs to (if any). */
    public record Caller(String agent, String nodeType, UUID taskId) {}

    /** Spent today, per agent and across all. */
    public record Spent(long agentTokens, BigDecimal agentUsd, long allTokens, BigDecimal allUsd) {}

    /** Reserves a call, or fails with {@link OverBudget} naming the budget it would break. */
    public Uni<UUID> reserve(Caller caller, String model, long tokens, BigDecimal usd) {
        ModelConfig.NodeTypeModel limits = config.nodeTypes().get(caller.nodeType());
        LocalDate day = today();
        UUID id = UUID.randomUUID();
        return pool.withTransaction(sql -> sql.preparedQuery("select pg_advisory_xact_lock($1)").execute(Tuple.of(LOCK))
                .flatMap(locked -> spent(sql, caller.agent(), day))
                .flatMap(spent -> {
                    String refused = refusal(spent, tokens, usd, limits, caller.agent());
                    if (refused != null) {
                        return Uni.createFrom().failure(new OverBudget(refused));
                    }
                    return sql.preparedQuery("""
                                    insert into model_call (id, agent, node_type, task_id, model, day, status, tokens, cost_usd, created_at)
                                    values ($1, $2, $3, $4, $5, $6, 'reserved', $7, $8, $9)""")
                            .execute(Tuple.from(new Object[] {id, caller.agent(), caller.nodeType(), caller.taskId(), model, day,
                                    tokens, usd, now()}))
                            .replaceWith(id);
                }));
    }

    /** The call was answered: it costs what it used. */
    public Uni<Void> settle(UUID call, long inputTokens, long outputTokens, BigDecimal usd) {
        return pool.preparedQuery("""
                        update model_call set status = 'settled', tokens = $2, cost_usd = $3, input_tokens = $4,
                               output_tokens = $5, finished_at = $6
                        where id = $1""")
                .execute(Tuple.from(new Object[] {call, inputTokens + outputTokens, usd, inputTokens, outputTokens, now()}))
                .replaceWithVoid();
    }

    /** The call got no answer: it costs nothing. */
    public Uni<Void> fail(UUID call, String errorCode) {
        return pool.preparedQuery("""
                        update model_call set status = 'failed', tokens = 0, cost_usd = 0, error_code = $2, finished_at = $3
                        where id = $1""")
                .execute(Tuple.of(call, errorCode, now()))
                .replaceWithVoid();
    }

    /** What the agent and everyone spent today (reserved calls at their reservation). */
    public Uni<Spent> spentToday(String agent) {
        return spent(pool, agent, today());
    }

    private static Uni<Spent> spent(io.vertx.mutiny.sqlclient.SqlClient sql, String agent, LocalDate day) {
        return sql.preparedQuery("""
                        select coalesce(sum(tokens) filter (where agent = $2), 0) as agent_tokens,
                               coalesce(sum(cost_usd) filter (where agent = $2), 0) as agent_usd,
                               coalesce(sum(tokens), 0) as all_tokens,
                               coalesce(sum(cost_usd), 0) as all_usd
                        from model_call where day = $1""")
                .execute(Tuple.of(day, agent))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Spent(row.getLong("agent_tokens"), row.getBigDecimal("agent_usd"),
                            row.getLong("all_tokens"), row.getBigDecimal("all_usd"));
                });
    }

    /** Null when the call fits every budget; else which one it would break. Pure. */
    String refusal(Spent spent, long tokens, BigDecimal usd, ModelConfig.NodeTypeModel limits, String agent) {
        if (spent.agentTokens() + tokens > limits.agentTokensPerDay()) {
            return "agent " + agent + " would pass its " + limits.agentTokensPerDay() + " tokens a day";
        }
        if (spent.agentUsd().add(usd).compareTo(limits.agentUsdPerDay()) > 0) {
            return "agent " + agent + " would pass its USD " + limits.agentUsdPerDay() + " a day";
        }
        if (spent.allTokens() + tokens > config.global().tokensPerDay()) {
            return "the service would pass its " + config.global().tokensPerDay() + " tokens a day";
        }
        if (spent.allUsd().add(usd).compareTo(config.global().usdPerDay()) > 0) {
            return "the service would pass its USD " + config.global().usdPerDay() + " a day";
        }
        return null;
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock);
    }
}
