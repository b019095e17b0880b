package dev.afk.controlplane.afk.dispatch;

import dev.afk.controlplane.afk.PipelineConfig;
import dev.afk.controlplane.afk.PipelineTicks;
import dev.afk.controlplane.afk.killswitch.KillSwitch;
import dev.afk.controlplane.afk.prompt.PromptTemplate;
import dev.afk.controlplane.afk.prompt.Prompts;
import dev.afk.controlplane.afk.prompt.TemplateException;
import dev.afk.controlplane.afk.prompt.WorkflowFile;
import dev.afk.controlplane.afk.repos.Repo;
import dev.afk.controlplane.afk.repos.RepoStore;
import dev.afk.controlplane.afk.runs.Budgets;
import dev.afk.controlplane.afk.runs.Progress;
import dev.afk.controlplane.afk.runs.Run;
import dev.afk.controlplane.afk.runs.RunProblems;
import dev.afk.controlplane.afk.runs.RunSettings;
import dev.afk.controlplane.afk.runs.RunStore;
import dev.afk.controlplane.ci.CiVerdicts.Stage;
import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.tracker.Issue;
import dev.afk.controlplane.tracker.IssueTracker;
import dev.afk.controlplane.tracker.RepoSignals;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Finds ready issues and queues at most one run per repository per pass. Safe with many replicas:
 * a repository is polled under a PostgreSQL advisory lock, the global cap is checked under another,
 * and the unique indexes on runs refuse a second active run whatever happens.
 */
@ApplicationScoped
public class Poller {

    private static final Logger LOG = Logger.getLogger(Poller.class);
    /** Advisory-lock key of the global dispatch section (count against the cap, then insert). */
    private static final long GLOBAL_DISPATCH_LOCK = 0x41464B5F44495350L;

    private final Pool pool;
    private final RepoStore repos;
    private final RunStore runs;
    private final IssueTracker tracker;
    private final RepoSignals signals;
    private final KillSwitch killSwitch;
    private final PollProblems problems;
    private final PipelineConfig config;
    private final Clock clock;

    Poller(Pool pool, RepoStore repos, RunStore runs, IssueTracker tracker, RepoSignals signals, KillSwitch killSwitch,
            PollProblems problems, PipelineConfig config, Clock clock) {
        this.pool = pool;
        this.repos = repos;
        this.runs = runs;
        this.tracker = tracker;
        this.signals = signals;
        this.killSwitch = killSwitch;
        this.problems = problems;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(every = "${afk.pipeline.poll-every:30s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = PipelineTicks.class)
    Uni<Void> scheduledPoll() {
        return tick().replaceWithVoid();
    }

    /** Signals from webhooks are drained often, so a label dispatches within seconds. */
    @Scheduled(every = "${afk.pipeline.signal-every:3s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = PipelineTicks.class)
    Uni<Void> scheduledSignals() {
        return signals.drain().chain(signalled -> signalled.isEmpty() ? Uni.createFrom().voidItem()
                : pollRepos(signalled).replaceWithVoid());
    }

    /** One pass over every enrolled repository (signalled ones first); returns the runs queued. */
    public Uni<List<String>> tick() {
        return signals.drain().chain(signalled -> repos.list(pool).chain(all -> {
            List<RepoSlug> ordered = all.stream().map(Repo::slug)
                    .sorted(Comparator.comparing((RepoSlug r) -> !signalled.contains(r)).thenComparing(RepoSlug::toString))
                    .toList();
            return pollRepos(ordered);
        }));
    }

    private Uni<List<String>> pollRepos(List<RepoSlug> slugs) {
        // The kill switch is read before any other I/O.
        return killSwitch.engaged().chain(engaged -> engaged
                ? Uni.createFrom().item(List.<String>of())
                : Multi.createFrom().iterable(slugs)
                        .onItem().transformToUniAndConcatenate(slug -> pollRepo(slug)
                                .invoke(() -> problems.succeeded(slug))
                                .onFailure().recoverWithItem(e -> {
                                    problems.failed(slug, e);
                                    return Optional.empty();
                                }))
                        .filter(Optional::isPresent).map(Optional::get)
                        .collect().asList());
    }

    /** Polls one repository under its advisory lock; the run id if one was queued. */
    public Uni<Optional<String>> pollRepo(RepoSlug slug) {
        return pool.withTransaction(sql -> sql
                .preparedQuery("select pg_try_advisory_xact_lock(hashtextextended($1, 0)) as locked")
                .execute(Tuple.of("afk-poll:" + slug))
                .map(rows -> rows.iterator().next().getBoolean("locked"))
                .chain(locked -> !locked ? Uni.createFrom().item(Optional.<String>empty())
                        : repos.find(sql, slug).chain(repo -> repo.isEmpty() ? Uni.createFrom().item(Optional.<String>empty())
                                : pollLocked(sql, repo.get()))));
    }

    private Uni<Optional<String>> pollLocked(SqlClient sql, Repo repo) {
        if (repo.paused() || repo.frozen()) {
            return Uni.createFrom().item(Optional.empty());
        }
        return runs.activity(sql, repo.slug()).chain(activity -> {
            if (activity.inRepo() || activity.global() >= config.globalCap()) {
                return Uni.createFrom().item(Optional.<String>empty());
            }
            return workflow(sql, repo).chain(workflow -> {
                if (workflow.error() != null) {
                    return Uni.createFrom().item(Optional.<String>empty());
                }
                Gates gates = new Gates(false, true, false, false, null, false, activity.issuesInRepo(),
                        activity.global(), config.globalCap(), repo.labels().ready());
                return tracker.openIssuesWithLabel(repo.slug(), repo.labels().ready())
                        .map(issues -> issues.stream().sorted(DispatchPolicy.ORDER).toList())
                        .chain(ordered -> firstEligible(sql, repo, gates, workflow, ordered, 0));
            });
        });
    }

    /** Gathers facts issue by issue in dispatch order and stops at the first the policy admits. */
    private Uni<Optional<String>> firstEligible(SqlClient sql, Repo repo, Gates gates, Workflow workflow,
            List<Issue> ordered, int index) {
        if (index >= ordered.size()) {
            return Uni.createFrom().item(Optional.empty());
        }
        Issue issue = ordered.get(index);
        return Candidates.gather(tracker, repo, issue).chain(candidate -> {
            DispatchVerdict verdict = DispatchPolicy.evaluate(gates, candidate);
            if (!verdict.dispatch()) {
                return firstEligible(sql, repo, gates, workflow, ordered, index + 1);
            }
            return queue(sql, repo, candidate, workflow);
        });
    }

    /**
     * An operator's retry of a finished run: a new run of the same issue, through the same gates
     * except the label's trust (the operator is the release). Labels are put back first so the new
     * run does not read a missing ready label as a cancellation.
     */
    public Uni<String> retry(Run old, String by) {
        if (!old.state().terminal()) {
            return Uni.createFrom().failure(new RunProblems.Conflict("only a finished run can be retried; this one is " + old.state()));
        }
        return killSwitch.engaged().chain(engaged -> {
            if (engaged) {
                throw new RunProblems.Conflict("the global kill switch is engaged");
            }
            return repos.find(pool, old.repo());
        }).chain(found -> {
            Repo repo = found.orElseThrow(() -> new RunProblems.Conflict(old.repo() + " is no longer enrolled"));
            if (repo.frozen()) {
                throw new RunProblems.Conflict(repo.slug() + " is frozen; an admin must unfreeze it first");
            }
            if (repo.paused()) {
                throw new RunProblems.Conflict(repo.slug() + " is paused");
            }
            return Uni.combine().all().unis(tracker.issue(repo.slug(), old.issue()), workflowReadOnly(repo)).asTuple()
                    .chain(t -> {
                        Issue issue = t.getItem1().filter(Issue::open)
                                .orElseThrow(() -> new RunProblems.Conflict("issue #" + old.issue() + " is not open"));
                        Workflow workflow = t.getItem2();
                        if (workflow.error() != null) {
                            throw new RunProblems.Conflict("the workflow file cannot be used: " + workflow.error());
                        }
                        Instant now = clock.instant();
                        String runId = UUID.randomUUID().toString();
                        String prompt = Prompts.implementer(workflow.template(), repo.slug(), repo.defaultBranch(), runId,
                                issue, workflow.file() == null ? null : workflow.file().settings().testCommand());
                        Run run = new Run(runId, repo.slug(), issue.number(), issue.title(), prompt,
                                settings(repo, workflow.file()), by, now, now, old.id(), Progress.queued(),
                                null, null, null, null, null, 0);
                        return tracker.addLabels(repo.slug(), issue.number(), Set.of(repo.labels().ready()))
                                .chain(() -> tracker.removeLabel(repo.slug(), issue.number(), repo.labels().human()))
                                .chain(() -> pool.withTransaction(sql -> insertUnderCap(sql, run, by)))
                                .map(queued -> {
                                    if (!queued) {
                                        throw new RunProblems.Conflict(repo.slug() + " already has an open run, or the global cap is reached");
                                    }
                                    return runId;
                                });
                    });
        });
    }

    private Uni<Optional<String>> queue(SqlClient sql, Repo repo, Candidate candidate, Workflow workflow) {
        Instant now = clock.instant();
        String runId = UUID.randomUUID().toString();
        Issue issue = candidate.issue();
        String prompt;
        try {
            prompt = Prompts.implementer(workflow.template(), repo.slug(), repo.defaultBranch(), runId, issue,
                    workflow.file() == null ? null : workflow.file().settings().testCommand());
        } catch (TemplateException e) {
            return repos.setWorkflowError(sql, repo.slug(), e.getMessage()).replaceWith(Optional.empty());
        }
        var labelled = candidate.lastLabelled().orElseThrow();
        Run run = new Run(runId, repo.slug(), issue.number(), issue.title(), prompt, settings(repo, workflow.file()),
                labelled.actor(), labelled.at(), now, null, Progress.queued(), null, null, null, null, null, 0);
        return insertUnderCap(sql, run, "pipeline")
                .invoke(queued -> {
                    if (queued) {
                        LOG.infof("%s#%d queued as run %s, released by %s", repo.slug(), issue.number(), runId, labelled.actor());
                    }
                })
                .map(queued -> queued ? Optional.of(runId) : Optional.<String>empty());
    }

    /** Counts against the global cap and inserts under one lock, so replicas cannot overshoot it together. */
    private Uni<Boolean> insertUnderCap(SqlClient sql, Run run, String actor) {
        return sql.preparedQuery("select pg_advisory_xact_lock($1)").execute(Tuple.of(GLOBAL_DISPATCH_LOCK))
                .chain(() -> runs.openCount(sql))
                .chain(active -> active >= config.globalCap()
                        ? Uni.createFrom().item(false)
                        : runs.insertQueued(sql, run, actor));
    }

    /** The run's budgets and CI settings: enrollment overrides the built-ins, the repo's own file may only tighten. */
    RunSettings settings(Repo repo, WorkflowFile file) {
        Budgets budgets = Budgets.of(config.budgets()).overriddenBy(repo.caps());
        List<Stage> stages = repo.ciStages();
        List<String> required = repo.requiredChecks();
        if (file != null) {
            budgets = file.settings().capsOrNone().map(budgets::tightenedBy).orElse(budgets);
            if (file.settings().ci() != null && file.settings().ci().stages() != null) {
                stages = file.settings().ci().stages().stream().map(Stage::valueOf).toList();
            }
            if (file.settings().ci() != null && file.settings().ci().requiredChecks() != null) {
                required = file.settings().ci().requiredChecks();
            }
        }
        return new RunSettings(budgets, stages, required);
    }

    /** The repository's workflow file, parsed and checked; an error is recorded on the repository and blocks it. */
    record Workflow(WorkflowFile file, PromptTemplate template, String error) {}

    Uni<Workflow> workflow(SqlClient sql, Repo repo) {
        return workflowReadOnly(repo).call(w -> repos.setWorkflowError(sql, repo.slug(), w.error()).invoke(changed -> {
            if (changed && w.error() != null) {
                LOG.warnf("%s: dispatch blocked, %s", repo.slug(), w.error());
            }
        }));
    }

    Uni<Workflow> workflowReadOnly(Repo repo) {
        return tracker.fileOnDefaultBranch(repo.slug(), WorkflowFile.PATH).map(text -> {
            try {
                WorkflowFile file = text.map(WorkflowFile::parse).orElse(null);
                if (file != null && file.settings().ci() != null && file.settings().ci().stages() != null) {
                    file.settings().ci().stages().forEach(Poller::stage);
                }
                return new Workflow(file, Prompts.implementer(file), null);
            } catch (TemplateException e) {
                return new Workflow(null, null, e.getMessage());
            }
        });
    }

    private static Stage stage(String name) {
        try {
            return Stage.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new TemplateException(WorkflowFile.PATH + ": unknown CI stage " + name + "; known: " + List.of(Stage.values()));
        }
    }
}
