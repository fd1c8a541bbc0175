package io.imserver.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Dependencies point inward: gateway/api → messaging/auth → store/cluster interfaces → protocol. Only app wires
 * concrete pieces together; store.jdbc is known to app alone. (That the server does not use the client library or
 * the benchmark follows from the Maven modules: neither is on the server's compile classpath.)
 */
class ArchitectureTest {
    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.imserver");
    }

    @Test
    void protocol_dependsOnNoOtherLayer() {
        noClasses().that().resideInAPackage("io.imserver.protocol..")
                .should().dependOnClassesThat().resideInAnyPackage("io.imserver.gateway..", "io.imserver.api..",
                        "io.imserver.app..", "io.imserver.messaging..", "io.imserver.auth..", "io.imserver.store..",
                        "io.imserver.cluster..")
                .check(classes);
    }

    @Test
    void store_andCluster_knowNothingOfTheLayersAbove() {
        noClasses().that().resideInAnyPackage("io.imserver.store..", "io.imserver.cluster..")
                .should().dependOnClassesThat().resideInAnyPackage("io.imserver.gateway..", "io.imserver.api..",
                        "io.imserver.app..", "io.imserver.messaging..", "io.imserver.auth..")
                .check(classes);
    }

    @Test
    void auth_andMessaging_doNotReachOutward_orIntoJdbc() {
        noClasses().that().resideInAnyPackage("io.imserver.auth..", "io.imserver.messaging..")
                .should().dependOnClassesThat().resideInAnyPackage("io.imserver.gateway..", "io.imserver.api..",
                        "io.imserver.app..", "io.imserver.store.jdbc..")
                .check(classes);
    }

    @Test
    void gateway_andApi_useTheUseCases_notStorageDetails_norEachOther() {
        noClasses().that().resideInAPackage("io.imserver.gateway..")
                .should().dependOnClassesThat().resideInAnyPackage("io.imserver.api..", "io.imserver.app..",
                        "io.imserver.store.jdbc..")
                .check(classes);
        noClasses().that().resideInAPackage("io.imserver.api..")
                .should().dependOnClassesThat().resideInAnyPackage("io.imserver.gateway..", "io.imserver.app..",
                        "io.imserver.store.jdbc..")
                .check(classes);
    }

    @Test
    void webhooks_dependInwardOnly_andGrpcIsPartOfTheApi() {
        noClasses().that().resideInAPackage("io.imserver.messaging.webhook..")
                .should().dependOnClassesThat().resideInAnyPackage("io.imserver.gateway..", "io.imserver.api..",
                        "io.imserver.app..", "io.imserver.store.jdbc..")
                .check(classes);
        // the use cases know nothing of webhooks: they are wired around them (store, presence, send gate)
        noClasses().that().resideInAPackage("io.imserver.messaging")
                .should().dependOnClassesThat().resideInAPackage("io.imserver.messaging.webhook..")
                .check(classes);
        noClasses().that().resideInAPackage("io.imserver.api.grpc..")
                .should().dependOnClassesThat().resideInAnyPackage("io.imserver.gateway..", "io.imserver.app..",
                        "io.imserver.store.jdbc..")
                .check(classes);
    }
}
