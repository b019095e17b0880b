package dev.afk.controlplane.model;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.RoundingMode;
import org.jboss.logging.Logger;

/**
 * How a node type asks the model: with its node type's model and limits, within the daily budgets
 * (checked and reserved before the call), and with what the call cost recorded in the ledger.
 */
@ApplicationScoped
public class ModelCalls {

    private static final Logger LOG = Logger.getLogger(ModelCalls.class);
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
    /** A conservative guess of characters per token, to reserve enough for the input before it is counted. */
    private static final int CHARS_PER_TOKEN = 3;

    private final Model model;
    private final ModelBudget budget;
    private final ModelConfig config;

    ModelCalls(Model model, ModelBudget budget, ModelConfig config) {
        this.model = model;
        this.budget = budget;
        this.config = config;
    }

    /** An answer and what it cost. */
    public record Judged(Model.Answer answer, BigDecimal costUsd) {}

    /** The limits of a node type (its configured ones, or the defaults). */
    public ModelConfig.NodeTypeModel limits(String nodeType) {
        return config.nodeTypes().get(nodeType);
    }

    /**
     * Asks the caller's node type's model. Fails with {@link OverBudget} before calling when the call
     * could pass a budget, with {@link ModelUnavailable} when the service did not answer.
     */
    public Uni<Judged> ask(ModelBudget.Caller caller, String system, String user, Model.Tool tool) {
        ModelConfig.NodeTypeModel limits = limits(caller.nodeType());
        long input = (system.length() + user.length() + tool.inputSchema().toString().length()) / CHARS_PER_TOKEN + 1;
        BigDecimal reserved = cost(limits, input, limits.maxOutputTokens());
        Model.Request request = new Model.Request(limits.model(), limits.maxOutputTokens(), limits.timeout(), system, user, tool);
        return budget.reserve(caller, limits.model(), input + limits.maxOutputTokens(), reserved)
                .flatMap(call -> model.ask(request)
                        .onFailure().call(e -> budget.fail(call, e instanceof ModelUnavailable u ? u.code() : "error")
                                .onFailure().invoke(f -> LOG.warnf("Model call %s could not be marked failed: %s", call, f.toString()))
                                .onFailure().recoverWithNull())
                        .flatMap(answer -> {
                            BigDecimal cost = cost(limits, answer.inputTokens(), answer.outputTokens());
                            return budget.settle(call, answer.inputTokens(), answer.outputTokens(), cost)
                                    .replaceWith(new Judged(answer, cost));
                        }));
    }

    static BigDecimal cost(ModelConfig.NodeTypeModel limits, long inputTokens, long outputTokens) {
        return limits.inputUsdPerMillion().multiply(BigDecimal.valueOf(inputTokens))
                .add(limits.outputUsdPerMillion().multiply(BigDecimal.valueOf(outputTokens)))
                .divide(MILLION, 6, RoundingMode.UP);
    }
}
