package io.herald.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The worker's packages depend on each other one way, and infrastructure types stay where the style guide puts them:
 * Kafka's in {@code consume} and {@code route}; SQL in {@code store} and {@code campaign} (whose store it is), and no
 * JDBC type at all in the core. The composition roots, {@code io.herald} itself ({@code WorkerModule}) and {@code cli},
 * build those pieces and may name the types they build; the console, an edge like the command line, hands data
 * sources to the store's queries and reports their {@code SQLException}s but runs no SQL of its own.
 */
class ArchitectureTest {
    /** The worker module's own classes (target/classes), not those of the modules it depends on. */
    private static JavaClasses worker;

    @BeforeAll
    static void importTheWorker() {
        worker = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPath(Path.of("target", "classes"));
    }

    @Test
    void the_packages_of_the_worker_have_no_cycle() {
        slices().matching("io.herald.(*)..").should().beFreeOfCycles().check(worker);
    }

    @Test
    void kafka_types_are_used_only_in_consume_route_and_the_composition_roots() {
        noClasses()
                .that()
                .resideInAPackage("io.herald..")
                .and()
                .resideOutsideOfPackages("io.herald.consume..", "io.herald.route..", "io.herald.cli..")
                .and()
                .doNotHaveFullyQualifiedName("io.herald.WorkerModule")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.apache.kafka..")
                .check(worker);
    }

    @Test
    void the_core_names_no_jdbc_type() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "io.herald.command..",
                        "io.herald.config..",
                        "io.herald.consume..",
                        "io.herald.oneall..",
                        "io.herald.process..",
                        "io.herald.route..",
                        "io.herald.observe..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("java.sql..", "javax.sql..", "com.zaxxer..", "org.postgresql..")
                .check(worker);
    }

    @Test
    void sql_runs_only_in_store_and_campaign() {
        noClasses()
                .that()
                .resideInAPackage("io.herald..")
                .and()
                .resideOutsideOfPackages("io.herald.store..", "io.herald.campaign..")
                .should()
                .dependOnClassesThat()
                .haveFullyQualifiedName("java.sql.Connection")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("java.sql.Statement")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("java.sql.PreparedStatement")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("java.sql.ResultSet")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("java.sql.DriverManager")
                .orShould()
                .dependOnClassesThat()
                .resideInAPackage("org.postgresql..")
                .check(worker);
    }

    @Test
    void the_domain_does_no_io() {
        noClasses()
                .that()
                .resideInAPackage("io.herald.command..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.apache.kafka..",
                        "java.sql..",
                        "javax.sql..",
                        "io.vertx..",
                        "io.netty..",
                        "java.net..",
                        "java.nio.file..")
                .check(worker);
    }

    @Test
    void the_domain_owns_the_vocabulary_of_calls_and_the_adapter_adapts_to_it() {
        noClasses()
                .that()
                .resideInAPackage("io.herald.command..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.herald.oneall..")
                .check(worker);
    }
}
