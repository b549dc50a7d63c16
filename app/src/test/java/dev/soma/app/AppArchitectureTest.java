package dev.soma.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The app's row of the table "Layers and what each may use" in docs/ARCHITECTURE.md, checked here
 * because only this module sees both the app's classes and core's (core's rows are core's
 * {@code ArchitectureTest}).
 */
@AnalyzeClasses(packages = "dev.soma", importOptions = ImportOption.DoNotIncludeTests.class)
class AppArchitectureTest {

    @ArchTest
    static final ArchRule appUsesCorePicocliAndJackson = classes().that().resideInAPackage("dev.soma.app..")
            .should().onlyDependOnClassesThat().resideInAnyPackage(
                    "dev.soma..", "picocli..", "com.fasterxml.jackson..", "java..", "javax..", "sun.misc..")
            .because("the command line parses, tells the story, writes JSON and pictures; no numerics of its own");

    @ArchTest
    static final ArchRule onlyInterruptsHandlesSignals = noClasses().that().doNotHaveSimpleName("Interrupts")
            .should().dependOnClassesThat().resideInAPackage("sun.misc..")
            .because("the JDK's unsupported signal API is used in one place: soma train's Ctrl-C and SIGTERM");

    @ArchTest
    static final ArchRule onlyAppUsesPicocli = noClasses().that().resideOutsideOfPackage("dev.soma.app..")
            .should().dependOnClassesThat().resideInAPackage("picocli..")
            .because("the library is used from Java as well; parsing arguments is the command's business");
}
