package dev.afk.controlplane;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules of docs/architecture.md. Adapters live in sub-packages of a port's package
 * (tracker.github, executor.t3, ci.woodpecker, notify.slack, agents.container, …). Shared adapter
 * infrastructure (github: one connection to GitHub for the tracker and CI adapters) sits beside
 * them: adapters may use it, the core may not, and it knows no adapter, port or core.
 */
class ArchitectureTests {

    private static final String BASE = "dev.afk.controlplane";
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(BASE);

    /** Packages whose sub-packages are adapters: each knows one wire format. */
    private static final String[] PORT_PACKAGES = {"tracker", "executor", "ci", "notify", "workspace", "model"};

    /** Infrastructure shared by several adapters: wire plumbing, no port of its own. */
    private static final String[] SHARED_ADAPTER_PACKAGES = {"github"};

    /** The status page reads the core, like an operator; it knows no wire format either. */
    @Test
    void coreNeverImportsAnAdapter() {
        String[] adapters = Arrays.stream(PORT_PACKAGES).map(p -> BASE + "." + p + ".*..").toArray(String[]::new);
        noClasses().that().resideInAnyPackage(BASE + ".afk..", BASE + ".status..")
                .should().dependOnClassesThat().resideInAnyPackage(adapters)
                .check(MAIN);
    }

    @Test
    void coreNeverImportsSharedAdapterInfrastructure() {
        String[] shared = Arrays.stream(SHARED_ADAPTER_PACKAGES).map(p -> BASE + "." + p + "..").toArray(String[]::new);
        noClasses().that().resideInAPackage(BASE + ".afk..")
                .should().dependOnClassesThat().resideInAnyPackage(shared)
                .check(MAIN);
    }

    @Test
    void sharedAdapterInfrastructureKnowsNoAdapterPortOrCore() {
        for (String shared : SHARED_ADAPTER_PACKAGES) {
            noClasses().that().resideInAPackage(BASE + "." + shared + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(BASE + ".afk..", BASE + ".agents..",
                            BASE + ".tracker..", BASE + ".executor..", BASE + ".ci..", BASE + ".notify..", BASE + ".workspace..")
                    .check(MAIN);
        }
    }

    @Test
    void adaptersNeverImportEachOther() {
        for (String port : PORT_PACKAGES) {
            SlicesRuleDefinition.slices().matching(BASE + "." + port + ".(*)..")
                    .should().notDependOnEachOther()
                    .allowEmptyShould(true)
                    .check(MAIN);
            String[] otherAdapters = Arrays.stream(PORT_PACKAGES).filter(p -> !p.equals(port))
                    .map(p -> BASE + "." + p + ".*..").toArray(String[]::new);
            noClasses().that().resideInAPackage(BASE + "." + port + ".*..")
                    .should().dependOnClassesThat().resideInAnyPackage(otherAdapters)
                    .allowEmptyShould(true)
                    .check(MAIN);
        }
    }

    @Test
    void agentRuntimesStayApart() {
        noClasses().that().resideInAPackage(BASE + ".agents.container..")
                .should().dependOnClassesThat().resideInAPackage(BASE + ".agents.nativekind..")
                .allowEmptyShould(true)
                .check(MAIN);
        noClasses().that().resideInAPackage(BASE + ".agents.nativekind..")
                .should().dependOnClassesThat().resideInAPackage(BASE + ".agents.container..")
                .allowEmptyShould(true)
                .check(MAIN);
    }

    /**
     * The Docker Engine API is spoken in one sub-package: the port, the runtime and the registry
     * see only {@code ContainerEngine}, and CDI hands them the adapter.
     */
    @Test
    void onlyTheDockerAdapterKnowsDocker() {
        noClasses().that().resideOutsideOfPackage(BASE + ".agents.container.docker..")
                .should().dependOnClassesThat().resideInAPackage(BASE + ".agents.container.docker..")
                .check(MAIN);
        org.assertj.core.api.Assertions.assertThat(MAIN.get(BASE + ".agents.container.docker.DockerEngine")
                .isAssignableTo(BASE + ".agents.container.ContainerEngine")).isTrue();
    }

    @Test
    void commonDependsOnNoFeature() {
        noClasses().that().resideInAPackage(BASE + ".common..")
                .should().dependOnClassesThat().resideInAnyPackage(BASE + ".afk..", BASE + ".agents..", BASE + ".github..",
                        BASE + ".tracker..", BASE + ".executor..", BASE + ".ci..", BASE + ".notify..", BASE + ".workspace..")
                .check(MAIN);
    }

    /** Packages that form a cycle cannot be changed, tested or understood one at a time. */
    @Test
    void packagesFormNoCycles() {
        SlicesRuleDefinition.slices().matching(BASE + ".(**)")
                .should().beFreeOfCycles()
                .check(MAIN);
    }

    /** The pure decision functions: every fact comes in as an argument, every action goes out as a value. */
    static final String[] DECISION_FUNCTIONS = {
        BASE + ".afk.runs.RunDecision", BASE + ".afk.dispatch.DispatchPolicy", BASE + ".agents.AgentMerge",
        BASE + ".ci.VerdictFold"};

    /** I/O and framework types: reactive streams, event loop, persistence, HTTP, JDBC, files, CDI, Quarkus. */
    static final String[] IO_AND_FRAMEWORK = {
        "io.smallrye..", "io.vertx..", "io.quarkus..", "org.hibernate..", "jakarta..", "javax..", "java.sql..",
        "java.net.http..", "java.io..", "java.nio.file..", "java.nio.channels..", "org.eclipse.microprofile..",
        "com.fasterxml.jackson..", "io.micrometer..", "org.jboss.logging.."};

    @Test
    void decisionFunctionsImportNoIoOrFramework() {
        for (String decision : DECISION_FUNCTIONS) {
            noClasses().that().haveFullyQualifiedName(decision).or().haveNameMatching(decision.replace(".", "\\.") + "\\$.*")
                    .should().dependOnClassesThat().resideInAnyPackage(IO_AND_FRAMEWORK)
                    .check(MAIN);
        }
    }

    /** A rule that cannot fail proves nothing: each decision function must exist under its name. */
    @Test
    void decisionFunctionsAreWhereTheRuleLooksForThem() {
        for (String decision : DECISION_FUNCTIONS) {
            org.assertj.core.api.Assertions.assertThat(MAIN.contain(decision)).as(decision).isTrue();
        }
    }
}
