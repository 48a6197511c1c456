package io.rulescaler;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Keeps the imports of the main classes one way, so the package picture stays true as code is added: data flows
 * {@code signal -> capacity -> handoff -> orchestration -> action -> provider}, no stage reaches back, {@code placement} is
 * pure, the shared services underneath import no stage, and no two top-level packages depend on each other.
 */
@AnalyzeClasses(packages = "io.rulescaler", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** The stages of the flow, in the order data moves through them. */
    static final List<String> FLOW = List.of("signal", "capacity", "handoff", "orchestration", "action", "provider");

    /** Shared services underneath the flow: they are handed what they need and import no stage. */
    static final List<String> SHARED = List.of("cluster", "security", "notify", "boot");

    @ArchTest
    static final ArchRule noCycleBetweenTopLevelPackages = slices().matching("io.rulescaler.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule providerNeverImportsAction = noClasses().that().resideInAPackage("io.rulescaler.provider..")
            .should().dependOnClassesThat().resideInAPackage("io.rulescaler.action..")
            .because("provider has its own exceptions; action calls provider, never the other way");

    @ArchTest
    static final ArchRule placementIsPure = noClasses().that().resideInAPackage("io.rulescaler.placement..")
            .should().dependOnClassesThat().resideInAnyPackage(packages(FLOW))
            .because("placement holds pure choices, called by whoever places");

    @ArchTest
    static final ArchRule sharedServicesImportNoFlowPackage = noClasses().that().resideInAnyPackage(packages(SHARED))
            .should().dependOnClassesThat().resideInAnyPackage(packages(concat(FLOW, List.of("placement"))))
            .because("cluster, security, notify and boot are handed what they need");

    /** No stage imports a stage before it, except that orchestration reads the hand-off; orchestration -> capacity is also checked on its own below. */
    @ArchTest
    static final ArchRule noStageReachesBack = CompositeArchRule.of(IntStream.range(1, FLOW.size()).mapToObj(i -> {
        String stage = FLOW.get(i);
        List<String> earlier = FLOW.subList(0, i).stream()
                .filter(e -> !(stage.equals("orchestration") && e.equals("handoff"))).toList();
        return noClasses().that().resideInAPackage("io.rulescaler." + stage + "..")
                .should().dependOnClassesThat().resideInAnyPackage(packages(earlier))
                .because("data flows " + String.join(" -> ", FLOW) + " and comes back only as facts");
    }).toList());

    @ArchTest
    static final ArchRule capacityNeverImportsOrchestration = noClasses().that().resideInAPackage("io.rulescaler.capacity..")
            .should().dependOnClassesThat().resideInAPackage("io.rulescaler.orchestration..")
            .because("capacity and orchestration meet only in handoff");

    @ArchTest
    static final ArchRule orchestrationNeverImportsCapacity = noClasses().that().resideInAPackage("io.rulescaler.orchestration..")
            .should().dependOnClassesThat().resideInAPackage("io.rulescaler.capacity..")
            .because("capacity and orchestration meet only in handoff");

    @ArchTest
    static final ArchRule errorsSitAtTheBottom = noClasses().that().resideInAPackage("io.rulescaler.error..")
            .should().dependOnClassesThat().resideInAnyPackage(packages(concat(concat(FLOW, SHARED),
                    List.of("placement", "web", "cli", "retention"))))
            .because("every package may throw the domain exceptions, so they import nothing of the project");

    private static String[] packages(List<String> names) {
        return names.stream().map(n -> "io.rulescaler." + n + "..").toArray(String[]::new);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }
}
