package dev.soma;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The table "Layers and what each may use" of docs/ARCHITECTURE.md, as rules over core's classes
 * (the app's row is {@code AppArchitectureTest} in the app module, which sees both).
 */
@AnalyzeClasses(packages = "dev.soma", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** One row of the table: a layer (a package under {@code dev.soma}) and the layers it may use. */
    private record Row(String layer, String... mayUse) {
    }

    /** The table, lowest layer first. A layer may also use whatever the layers it names may use. */
    private static final List<Row> TABLE = List.of(
            new Row("tensor.kernel"),
            new Row("tensor.kernel.simd", "tensor.kernel"),
            new Row("tensor.kernel.blas", "tensor.kernel"),
            new Row("tensor", "tensor.kernel"),
            new Row("nn", "tensor"),
            new Row("optim", "tensor"),
            new Row("data", "tensor"),
            new Row("train", "nn", "optim", "data"),
            new Row("io", "tensor", "nn", "data", "optim", "train"),
            new Row("io.onnx", "io"));

    @ArchTest
    static final ArchRule noLayerUsesOneAboveIt = layers();

    @ArchTest
    static final ArchRule everyPackageIsARowOfTheTable = classes().should().resideInAnyPackage(
            TABLE.stream().map(row -> "dev.soma." + row.layer()).toArray(String[]::new))
            .because("a new package needs its row in docs/ARCHITECTURE.md and in this table");

    @ArchTest
    static final ArchRule noPackagesDependOnEachOther = slices().matching("dev.soma.(**)").should().beFreeOfCycles()
            .because("a package that needs one above it (as KernelProvider the BLAS kernels) loads it by name");

    @ArchTest
    static final ArchRule kernelsUseOnlyTheJdk = classes().that().resideInAPackage("dev.soma.tensor.kernel")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.soma.tensor.kernel")
            .because("kernels see float[], offsets and lengths, never tensors");

    @ArchTest
    static final ArchRule onlySimdUsesTheVectorApi = noClasses().that()
            .resideOutsideOfPackage("dev.soma.tensor.kernel.simd")
            .should().dependOnClassesThat().resideInAPackage("jdk.incubator.vector..")
            .because("a JVM without the incubating module must still run, on the scalar kernels");

    @ArchTest
    static final ArchRule onlyIoUsesJackson = noClasses().that().resideOutsideOfPackage("dev.soma.io")
            .should().dependOnClassesThat().resideInAPackage("com.fasterxml.jackson..")
            .because("Jackson reads and writes safetensors headers and model specs, nothing else in core");

    private static ArchRule layers() {
        LayeredArchitecture architecture = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (Row row : TABLE) {
            architecture = architecture.layer(row.layer()).definedBy("dev.soma." + row.layer());
        }
        for (Row row : TABLE) {
            Set<String> usable = usableFrom(row);
            architecture = usable.isEmpty()
                    ? architecture.whereLayer(row.layer()).mayNotAccessAnyLayer()
                    : architecture.whereLayer(row.layer()).mayOnlyAccessLayers(usable.toArray(String[]::new));
        }
        return architecture;
    }

    /** The layers {@code row} names, the layers those name, and so on. */
    private static Set<String> usableFrom(Row row) {
        Set<String> usable = new LinkedHashSet<>();
        var next = new ArrayDeque<>(List.of(row.mayUse()));
        while (!next.isEmpty()) {
            String layer = next.pop();
            if (usable.add(layer)) {
                next.addAll(List.of(TABLE.stream().filter(r -> r.layer().equals(layer)).findFirst()
                        .orElseThrow(() -> new IllegalStateException("no row for " + layer)).mayUse()));
            }
        }
        return usable;
    }
}
