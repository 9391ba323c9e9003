package io.herald.bench;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** herald-dev's packages depend one way: the command line ({@code dev}) on the benchmark ({@code bench}). */
class DevPackagesTest {
    @Test
    void the_packages_of_herald_dev_have_no_cycle() {
        var classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPath(Path.of("target", "classes"));
        slices().matching("io.herald.(*)..").should().beFreeOfCycles().check(classes);
    }
}
