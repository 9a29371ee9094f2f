package vn.quangninh.cphub.hospital;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

import vn.quangninh.cphub.HubTestSupport;
import vn.quangninh.cphub.incident.Incident;
import vn.quangninh.cphub.model.Referral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A hospital's FHIR interface posts message Bundles built with HAPI FHIR's R4 model. */
class HospitalFhirTest extends HubTestSupport {

    private static final String HOSPITAL = "hospital-baichay";
    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @Test
    void aSuspectedAbuseBundleIsAcceptedAndReachesPolice() throws Exception {
        String eventId = "FHIR-" + UUID.randomUUID();
        HttpResponse<String> response = post(bundle(eventId, "2017-04-15", "T76.12XA", "http://hl7.org/fhir/sid/icd-10-cm",
                "provisional", false));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(outcome(response).getIssueFirstRep().getDiagnostics())
                .contains(Incident.idFor(HOSPITAL, eventId).toString());
        String referralId = Referral.idFor(Incident.idFor(HOSPITAL, eventId), "police").toString();
        await().atMost(Duration.ofSeconds(15)).until(() -> policeRequestsWithKey(referralId).size() == 1);
        var incident = json(policeRequestsWithKey(referralId).get(0).getBodyAsString()).get("incident");
        assertThat(incident.get("source").get("channel").asText()).isEqualTo("hospital");
        assertThat(incident.get("category").asText()).isEqualTo("violence");
        assertThat(incident.get("certainty").asText()).isEqualTo("suspected");
        assertThat(incident.get("subjects").get(0).get("name").asText()).isEqualTo("Synthetic Fhir Child");
        assertThat(incident.get("narrative").asText()).contains("Synthetic observation");
    }

    @Test
    void aBundleAboutSomethingElseIsAnsweredAndNotKept() throws Exception {
        long intake = messagesAdded("cphub.intake");
        HttpResponse<String> response = post(bundle("FHIR-" + UUID.randomUUID(), "2017-04-15", "J18.9",
                "http://hl7.org/fhir/sid/icd-10", "confirmed", false));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(messagesAdded("cphub.intake")).isEqualTo(intake);
    }

    @Test
    void aFlagMakesItRelevantEvenWithoutACode() throws Exception {
        HttpResponse<String> response = post(bundle("FHIR-" + UUID.randomUUID(), "2018-01-01", "R51",
                "http://hl7.org/fhir/sid/icd-10", "confirmed", true));
        assertThat(response.statusCode()).isEqualTo(202);
    }

    @Test
    void aPartialBirthDateIsValidFhirAndIsAccepted() throws Exception {
        HttpResponse<String> response = post(bundle("FHIR-" + UUID.randomUUID(), "2017", "T74.1",
                "http://hl7.org/fhir/sid/icd-10", "confirmed", false));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }

    @Test
    void optionalFieldsThatDoNotFitAreDroppedAndAnsweredAsWarningsWithWhereTheyWere() throws Exception {
        String eventId = "FHIR-" + UUID.randomUUID();
        Bundle bundle = bundle(eventId, "2017-04-15", "T74.1", "http://hl7.org/fhir/sid/icd-10", "confirmed", false);
        Patient patient = (Patient) bundle.getEntry().get(1).getResource();
        patient.getNameFirstRep().setFamily("Synthetic".repeat(30));
        for (int i = 0; i < 11; i++) {
            patient.addIdentifier().setSystem("urn:oid:1.2.3.4.5").setValue("FHIR-MRN-X" + i);
        }

        HttpResponse<String> response = post(bundle);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        var warnings = outcome(response).getIssue().stream()
                .filter(i -> i.getSeverity() == OperationOutcome.IssueSeverity.WARNING).toList();
        assertThat(warnings).extracting(i -> i.getExpression().get(0).getValue())
                .containsExactly("Patient.identifier", "Patient.name");
        assertThat(warnings.get(1).getDiagnostics()).contains("dropped", "256").doesNotContain("SyntheticSynthetic");
        String referralId = Referral.idFor(Incident.idFor(HOSPITAL, eventId), "police").toString();
        await().atMost(Duration.ofSeconds(15)).until(() -> policeRequestsWithKey(referralId).size() == 1);
        var incident = json(policeRequestsWithKey(referralId).get(0).getBodyAsString()).get("incident");
        assertThat(incident.get("subjects").get(0).get("identifiers")).hasSize(10);
        assertThat(incident.get("dataQuality").toString()).contains("Patient.name", "Patient.identifier");
    }

    @Test
    void aBundleWithoutAnyIdIsRefusedNamingWhere() throws Exception {
        Bundle bundle = bundle("unused", "2017-04-15", "T74.1", "http://hl7.org/fhir/sid/icd-10", "confirmed", false);
        bundle.setIdentifier(null);
        bundle.getEntryFirstRep().getResource().setId((String) null);
        HttpResponse<String> response = post(bundle);
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(outcome(response).getIssueFirstRep().getExpression()).extracting(e -> e.getValue())
                .containsExactly("Bundle.identifier");
    }

    @Test
    void errorsAreOperationOutcomesWithTheirStatus() throws Exception {
        assertThat(post("{\"resourceType\":\"Bundle\",").statusCode()).isEqualTo(400);
        HttpResponse<String> collection = post("{\"resourceType\":\"Bundle\",\"type\":\"collection\"}");
        assertThat(collection.statusCode()).isEqualTo(422);
        assertThat(outcome(collection).getIssueFirstRep().getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
        assertThat(outcome(collection).getIssueFirstRep().getDiagnostics()).contains("message");

        HttpResponse<String> unauthenticated = http.send(HttpRequest.newBuilder(uri())
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unauthenticated.statusCode()).isEqualTo(401);
        assertThat(outcome(unauthenticated).getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.LOGIN);
    }

    private HttpResponse<String> post(Bundle bundle) throws Exception {
        return post(FHIR.newJsonParser().encodeResourceToString(bundle));
    }

    private HttpResponse<String> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri())
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((HOSPITAL + ":" + HOSPITAL + "-dev-secret").getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri() {
        return URI.create("http://127.0.0.1:" + port + "/fhir/Bundle");
    }

    private static OperationOutcome outcome(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("fhir+json"));
        return FHIR.newJsonParser().parseResource(OperationOutcome.class, response.body());
    }

    /** A synthetic message Bundle: MessageHeader, Patient, Condition, Observation and optionally a Flag. */
    static Bundle bundle(String eventId, String birthDate, String code, String system, String verification, boolean flag) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.MESSAGE);
        bundle.getIdentifier().setSystem("urn:ietf:rfc:3986").setValue(eventId);
        bundle.setTimestampElement(new InstantType("2026-11-28T14:05:00+07:00"));
        MessageHeader header = new MessageHeader().setEvent(new Coding("urn:cphub:event", "child-protection-report", null));
        header.setId(UUID.randomUUID().toString());
        Patient patient = new Patient();
        patient.setId("p1");
        patient.addName().setFamily("Synthetic").addGiven("Fhir").addGiven("Child");
        patient.setBirthDateElement(new DateType(birthDate));
        patient.setGender(AdministrativeGender.FEMALE);
        patient.addIdentifier().setSystem("urn:oid:1.2.3.4.5").setValue("FHIR-MRN-1");
        Condition condition = new Condition().setCode(new CodeableConcept(new Coding(system, code, "synthetic")));
        condition.setVerificationStatus(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/condition-ver-status", verification, null)));
        Observation observation = new Observation();
        observation.setValue(new org.hl7.fhir.r4.model.StringType("Synthetic observation: bruising."));
        bundle.addEntry().setResource(header);
        bundle.addEntry().setResource(patient);
        bundle.addEntry().setResource(condition);
        bundle.addEntry().setResource(observation);
        if (flag) {
            bundle.addEntry().setResource(new Flag().setCode(new CodeableConcept().setText("suspected child abuse")));
        }
        return bundle;
    }
}
