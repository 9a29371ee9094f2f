package vn.quangninh.cphub.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The hub's package rules, read from the compiled classes (every reference, not only imports):
 * no two packages depend on each other, directly or round a loop, and the referral's vocabulary
 * ({@code model}) depends on no other package of the hub, so every layer may use it.
 */
@AnalyzeClasses(packages = "vn.quangninh.cphub", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule packagesAreFreeOfCycles = slices()
            .matching("vn.quangninh.cphub.(*)..")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule modelDependsOnNoOtherHubPackage = classes()
            .that().resideInAPackage("vn.quangninh.cphub.model..")
            .should().onlyDependOnClassesThat()
            .resideInAnyPackage("vn.quangninh.cphub.model..", "java..", "com.fasterxml.jackson..");
}
