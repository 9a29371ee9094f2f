package vn.quangninh.cphub.hospital;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import vn.quangninh.cphub.HubTestSupport;
import vn.quangninh.cphub.incident.Incident;
import vn.quangninh.cphub.model.Referral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The FHIR R4 specification's own example Bundles (src/test/resources/fhir-corpus, source and licence in its
 * README), posted as the development hospital: each as it is, and once more as the message Bundle a hospital
 * sends about a child — type message, a MessageHeader first, the first Patient nine years old (one added where
 * the Bundle has none), a Condition T74.1 — with every other resource of the example left in. Every Bundle is
 * answered with an OperationOutcome and never 5xx; only a Bundle that is not a message is refused, naming
 * Bundle.type; every one with a code is taken and reaches police. The counts are printed.
 */
class FhirCorpusTest extends HubTestSupport {

    private static final String HOSPITAL = "hospital-baichay";
    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @Test
    void everyExampleBundleIsAnsweredAndEveryOneWithACodeForAChildReachesPolice() throws Exception {
        Map<String, String> corpus = corpus();
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(30);
        Map<Integer, Integer> asIs = new TreeMap<>();
        Map<Integer, Integer> withCode = new TreeMap<>();
        List<String> unexpected = new ArrayList<>();
        Map<String, String> taken = new TreeMap<>();

        for (var entry : corpus.entrySet()) {
            String name = entry.getKey();
            HttpResponse<String> plain = post(entry.getValue());
            asIs.merge(plain.statusCode(), 1, Integer::sum);
            Bundle original = FHIR.newJsonParser().parseResource(Bundle.class, entry.getValue());
            boolean message = original.getType() == Bundle.BundleType.MESSAGE;
            OperationOutcome outcome = outcome(plain);
            if (message ? !List.of(200, 202).contains(plain.statusCode()) : plain.statusCode() != 422
                    || !"Bundle.type".equals(outcome.getIssueFirstRep().getExpression().get(0).getValue())) {
                unexpected.add(name + " as it is: " + plain.statusCode() + " " + outcome.getIssueFirstRep().getDiagnostics());
            }

            String eventId = "FHIR-CORPUS-" + UUID.randomUUID();
            HttpResponse<String> coded = post(FHIR.newJsonParser().encodeResourceToString(aboutAChild(original, eventId)));
            withCode.merge(coded.statusCode(), 1, Integer::sum);
            if (coded.statusCode() == 202) {
                taken.put(name, eventId);
            } else {
                unexpected.add(name + " with T74.1: " + coded.statusCode() + " " + outcome(coded).getIssueFirstRep().getDiagnostics());
            }
        }
        System.out.printf("FHIR corpus: %d Bundles; as they are: %s; as a message about a child with T74.1: %s%n",
                corpus.size(), asIs, withCode);

        for (var entry : taken.entrySet()) {
            String referralId = Referral.idFor(Incident.idFor(HOSPITAL, entry.getValue()), "police").toString();
            try {
                await().atMost(Duration.ofSeconds(20)).until(() -> policeRequestsWithKey(referralId).size() == 1);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                unexpected.add(entry.getKey() + " with T74.1: accepted but police never got it");
            }
        }
        assertThat(unexpected).as("Bundles not answered as documented").isEmpty();
        assertThat(taken).hasSameSizeAs(corpus);
    }

    /** The example as the message a hospital sends about a child: everything of it kept, the report added. */
    private static Bundle aboutAChild(Bundle example, String eventId) {
        Bundle bundle = example.copy();
        bundle.setType(Bundle.BundleType.MESSAGE);
        bundle.getIdentifier().setSystem("urn:ietf:rfc:3986").setValue(eventId);
        bundle.setTimestamp(new Date());
        if (bundle.getEntry().isEmpty() || !(bundle.getEntryFirstRep().getResource() instanceof MessageHeader)) {
            MessageHeader header = new MessageHeader().setEvent(new Coding("urn:cphub:event", "child-protection-report", null));
            bundle.getEntry().add(0, new Bundle.BundleEntryComponent().setResource(header));
        }
        Patient patient = bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(Patient.class::isInstance).map(Patient.class::cast).findFirst().orElse(null);
        if (patient == null) {
            patient = new Patient();
            patient.addName().setFamily("Synthetic").addGiven("Corpus");
            bundle.addEntry().setResource(patient);
        }
        patient.setBirthDateElement(new DateType(LocalDate.now().minusYears(9).toString()));
        Condition condition = new Condition().setCode(new CodeableConcept(new Coding("http://hl7.org/fhir/sid/icd-10",
                "T74.1", "Physical abuse, confirmed")));
        condition.setVerificationStatus(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed", null)));
        bundle.addEntry().setResource(condition);
        return bundle;
    }

    private HttpResponse<String> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/fhir/Bundle"))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((HOSPITAL + ":" + HOSPITAL + "-dev-secret").getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static OperationOutcome outcome(HttpResponse<String> response) {
        return FHIR.newJsonParser().parseResource(OperationOutcome.class, response.body());
    }

    private static Map<String, String> corpus() throws Exception {
        Map<String, String> files = new TreeMap<>();
        for (Resource r : new PathMatchingResourcePatternResolver().getResources("classpath:fhir-corpus/**/*.json")) {
            files.put(r.getFilename(), new String(r.getContentAsByteArray(), StandardCharsets.UTF_8));
        }
        return files;
    }
}
