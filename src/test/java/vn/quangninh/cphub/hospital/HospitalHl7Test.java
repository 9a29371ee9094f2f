package vn.quangninh.cphub.hospital;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import vn.quangninh.cphub.Hl7Client;
import vn.quangninh.cphub.HubTestSupport;
import vn.quangninh.cphub.incident.Incident;
import vn.quangninh.cphub.intake.InvalidMessage;
import vn.quangninh.cphub.model.Referral;
import vn.quangninh.cphub.store.Journey.Step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A hospital's interface engine sends over MLLP with HAPI's own client; the police stub sees the result. */
class HospitalHl7Test extends HubTestSupport {

    private static final String HOSPITAL = "hospital-baichay";

    @Autowired
    MeterRegistry meters;
    private Hl7Client hl7;

    @BeforeEach
    void connect() {
        hl7 = new Hl7Client(hl7Port);
        jms.setReceiveTimeout(100);
        while (jms.receive("cphub.invalid") != null) {
            // earlier tests' leftovers
        }
    }

    @AfterEach
    void disconnect() throws Exception {
        hl7.close();
    }

    @Test
    void aChildWithAMaltreatmentCodeBecomesAnIncidentAcknowledgedAaAfterTheEnqueue() throws Exception {
        String controlId = newControlId();
        long enqueued = messagesAdded("cphub.intake") + messagesAdded("cphub.intake.urgent");
        Hl7Client.Ack ack = hl7.send(adt("A04", controlId, "20170415", "DG1|1||T74.2^Sexual abuse, confirmed^I10||20261128|W"));

        assertThat(ack.code()).isEqualTo("AA");
        assertThat(ack.controlId()).isEqualTo(controlId);
        String incidentId = Incident.idFor(HOSPITAL, controlId).toString();
        assertThat(messagesAdded("cphub.intake") + messagesAdded("cphub.intake.urgent")).as("AA only after the durable enqueue")
                .isGreaterThan(enqueued);

        String referralId = Referral.idFor(UUID.fromString(incidentId), "police").toString();
        await().atMost(Duration.ofSeconds(15)).until(() -> policeRequestsWithKey(referralId).size() == 1);
        var incident = json(policeRequestsWithKey(referralId).get(0).getBodyAsString()).get("incident");
        assertThat(incident.get("source").get("channel").asText()).isEqualTo("hospital");
        assertThat(incident.get("category").asText()).isEqualTo("sexual_abuse");
        assertThat(incident.get("certainty").asText()).isEqualTo("confirmed");
        assertThat(incident.get("priority").asInt()).as("configured: sexual abuse is priority 1").isEqualTo(1);
        assertThat(incident.get("subjects").get(0).get("name").asText()).isEqualTo("Synthetic Child Hl7");
        assertThat(incident.has("codes")).as("police do not get diagnoses").isFalse();
    }

    @Test
    void suspectedAbuseInIcd10CmIsSuspected() throws Exception {
        String controlId = newControlId();
        assertThat(hl7.send(adt("A01", controlId, "20190101", "DG1|1||T76.12XA^Child physical abuse, suspected^I10C")).code())
                .isEqualTo("AA");
        String referralId = Referral.idFor(Incident.idFor(HOSPITAL, controlId), "police").toString();
        await().atMost(Duration.ofSeconds(15)).until(() -> policeRequestsWithKey(referralId).size() == 1);
        var incident = json(policeRequestsWithKey(referralId).get(0).getBodyAsString()).get("incident");
        assertThat(incident.get("certainty").asText()).isEqualTo("suspected");
        assertThat(incident.get("category").asText()).isEqualTo("violence");
    }

    @Test
    void aRepeatedControlIdIsAcknowledgedAgainAndMakesNoSecondIncident() throws Exception {
        String controlId = newControlId();
        String message = adt("A04", controlId, "20170415", "DG1|1||T74.1^Physical abuse^I10");
        assertThat(hl7.send(message).code()).isEqualTo("AA");
        assertThat(hl7.send(message).code()).isEqualTo("AA");

        String incidentId = Incident.idFor(HOSPITAL, controlId).toString();
        await().atMost(Duration.ofSeconds(15)).until(() -> steps(incidentId).contains(Step.DUPLICATE)
                && steps(incidentId).contains(Step.DELIVERED));
        assertThat(steps(incidentId, "police").stream().filter(s -> s == Step.DELIVERED)).hasSize(1);
    }

    @Test
    void aMessageWithoutAMaltreatmentCodeIsAcknowledgedAndNothingOfItIsKept() throws Exception {
        long intake = messagesAdded("cphub.intake");
        long invalid = messagesAdded("cphub.invalid");
        double dropped = dropped("no_maltreatment_code");
        String controlId = newControlId();

        assertThat(hl7.send(adt("A01", controlId, "20170415", "DG1|1||J18.9^Pneumonia^I10")).code()).isEqualTo("AA");

        assertThat(messagesAdded("cphub.intake")).isEqualTo(intake);
        assertThat(messagesAdded("cphub.invalid")).isEqualTo(invalid);
        assertThat(journey.ofIncident(Incident.idFor(HOSPITAL, controlId).toString())).isEmpty();
        assertThat(dropped("no_maltreatment_code")).isEqualTo(dropped + 1);
    }

    @Test
    void aPatientAged16OrOverIsNotAChildAndIsDropped() throws Exception {
        long intake = messagesAdded("cphub.intake");
        double dropped = dropped("not_a_child");

        assertThat(hl7.send(adt("A04", newControlId(), "20100101", "DG1|1||T74.1^Physical abuse^I10")).code())
                .isEqualTo("AA");

        assertThat(messagesAdded("cphub.intake")).isEqualTo(intake);
        assertThat(dropped("not_a_child")).isEqualTo(dropped + 1);
    }

    @Test
    void aMessageTypeTheHubDoesNotUseIsReadLikeTheOthersAndAReportInItIsTaken() throws Exception {
        // the development hospital has no hl7.unsupported: accept, the default (Hl7MessageTypesTest: reject)
        String controlId = newControlId();
        Hl7Client.Ack ack = hl7.send(adt("A01", controlId, "20170415", "DG1|1||T74.1^Physical abuse^I10")
                .replace("ADT^A01^ADT_A01", "ADT^A03^ADT_A03"));
        assertThat(ack.code()).as("a discharge about a child's maltreatment is a report").isEqualTo("AA");
        String referralId = Referral.idFor(Incident.idFor(HOSPITAL, controlId), "police").toString();
        await().atMost(Duration.ofSeconds(15)).until(() -> policeRequestsWithKey(referralId).size() == 1);

        long intake = messagesAdded("cphub.intake") + messagesAdded("cphub.intake.urgent");
        long invalid = messagesAdded("cphub.invalid");
        double dropped = dropped("no_maltreatment_code");
        String order = String.join("\r",
                "MSH|^~\\&|HIS|BAICHAY_HOSP|CPHUB|QN|20261128140500+0700||ORM^O01^ORM_O01|" + newControlId() + "|P|2.5.1",
                "PID|1||BC-T-0009^^^BAICHAY_HOSP^MR||Synthetic^Order^Child||20170415|F",
                "ORC|NW|ORD-1",
                "OBR|1|ORD-1||71045^Chest X-ray^C4") + "\r";
        assertThat(hl7.send(order).code()).as("an order on the shared feed: AA, not relevant").isEqualTo("AA");
        assertThat(messagesAdded("cphub.intake") + messagesAdded("cphub.intake.urgent")).isEqualTo(intake);
        assertThat(messagesAdded("cphub.invalid")).as("nothing of it kept").isEqualTo(invalid);
        assertThat(dropped("no_maltreatment_code")).isEqualTo(dropped + 1);
    }

    @Test
    void version28AndLineFeedSegmentEndsAreReadLikeTheOthersAndVersion22IsRefused() throws Exception {
        String v28 = newControlId();
        assertThat(hl7.send(adt("A04", v28, "20170415", "DG1|1||T74.1^Physical abuse^I10").replace("|P|2.5.1", "|P|2.8")).code())
                .as("HL7 v2.8").isEqualTo("AA");
        String lineFeeds = newControlId();
        // sent as the hospital wrote them (HAPI's own client would re-encode them with CR)
        assertThat(hl7.read(hl7.sendRaw(adt("A04", lineFeeds, "20170415", "DG1|1||T74.1^Physical abuse^I10").replace("\r", "\n"))).code())
                .as("segments ended by LF").isEqualTo("AA");
        String crlf = newControlId();
        assertThat(hl7.read(hl7.sendRaw(adt("A04", crlf, "20170415", "DG1|1||T74.1^Physical abuse^I10").replace("\r", "\r\n"))).code())
                .as("segments ended by CR LF").isEqualTo("AA");
        for (String controlId : List.of(v28, lineFeeds, crlf)) {
            String referralId = Referral.idFor(Incident.idFor(HOSPITAL, controlId), "police").toString();
            await().atMost(Duration.ofSeconds(15)).until(() -> policeRequestsWithKey(referralId).size() == 1);
            assertThat(json(policeRequestsWithKey(referralId).get(0).getBodyAsString()).get("incident").get("subjects").get(0)
                    .get("name").asText()).isEqualTo("Synthetic Child Hl7");
        }
        Hl7Client.Ack v22 = hl7.send(adt("A04", newControlId(), "20170415", "DG1|1||T74.1^Physical abuse^I10").replace("|P|2.5.1", "|P|2.2"));
        assertThat(v22.code()).isEqualTo("AR");
        assertThat(v22.text()).contains("2.2", "MSH-12", "2.3 to 2.8");
    }

    @Test
    void optionalFieldsThatDoNotFitAreDroppedWithANoteAndTheReportIsTaken() throws Exception {
        String controlId = newControlId();
        StringBuilder identifiers = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            identifiers.append(i == 0 ? "" : "~").append("BC-T-").append(i).append("^^^BAICHAY_HOSP^MR");
        }
        String message = String.join("\r",
                "MSH|^~\\&|HIS|BAICHAY_HOSP|CPHUB|QN|20261128140500.1234+0700||ADT^A04^ADT_A01|" + controlId + "|P|2.5.1",
                "EVN|A04|20261128140500",
                // a name longer than the incident allows, twelve identifiers, a phone split into XTN components,
                // a birth time with seconds and an offset
                "PID|1||" + identifiers + "||" + "Synthetic".repeat(30) + "^Hl7^Child^^^^L||20170415083000+0700|F|||"
                        + "||^PRN^PH^^84^203^3825111",
                "NK1|1|Synthetic^Guardian^Van Thi^^^^L|MTH^Mother^HL70063||^^PH^^^203^3825112",
                "DG1|1||T74.1^Physical abuse^I10") + "\r";

        Hl7Client.Ack ack = hl7.send(message);

        assertThat(ack.code()).as("a report is never refused over an optional field").isEqualTo("AA");
        assertThat(ack.errorCode()).as("a warning (ERR-4 W) in the AA").isEqualTo("102");
        assertThat(ack.location()).as("the first warning names its field (ERR-2)").isEqualTo("PID^1^3");
        assertThat(ack.userMessage()).contains("PID-3", "truncated", "10 of 12");
        String referralId = Referral.idFor(Incident.idFor(HOSPITAL, controlId), "police").toString();
        await().atMost(Duration.ofSeconds(15)).until(() -> policeRequestsWithKey(referralId).size() == 1);
        var incident = json(policeRequestsWithKey(referralId).get(0).getBodyAsString()).get("incident");
        var victim = incident.get("subjects").get(0);
        assertThat(victim.has("name")).isFalse();
        assertThat(victim.get("birthDate").asText()).isEqualTo("2017-04-15");
        assertThat(victim.get("identifiers")).hasSize(10);
        assertThat(incident.get("subjects").get(1).get("name").asText()).isEqualTo("Synthetic Van Thi Guardian");
        assertThat(incident.get("dataQuality").toString()).contains("/subjects/0/name", "PID-5", "/subjects/0/identifiers",
                "PID-3", "truncated").doesNotContain("SyntheticSynthetic");
    }

    @Test
    void aReportWithoutAMessageIdIsRefusedNamingMsh10() throws Exception {
        long intake = messagesAdded("cphub.intake") + messagesAdded("cphub.intake.urgent");
        Hl7Client.Ack ack = hl7.read(hl7.sendRaw(adt("A04", "", "20170415", "DG1|1||T74.1^Physical abuse^I10")));

        assertThat(ack.code()).isEqualTo("AR");
        assertThat(ack.errorCode()).as("required field missing").isEqualTo("101");
        assertThat(ack.location()).isEqualTo("MSH^1^10");
        assertThat(ack.userMessage()).contains("MSH-10", "empty");
        assertThat(messagesAdded("cphub.intake") + messagesAdded("cphub.intake.urgent")).isEqualTo(intake);
    }

    @Test
    void aLineBreakInsideAFieldAndABatchOfOneAreReadLikeTheOthers() throws Exception {
        String controlId = newControlId();
        String wrapped = adt("A04", controlId, "20170415", "DG1|1||T74.1^Physical abuse^I10")
                .replace("PV1|1|E", "PV1|1|E|Ward 3\nbed 12")
                .replace("\r", "\n");
        String batch = "FHS|^~\\&|HIS|BAICHAY_HOSP\nBHS|^~\\&|HIS|BAICHAY_HOSP\n" + wrapped + "BTS|1\nFTS|1\n";
        assertThat(hl7.read(hl7.sendRaw(batch)).code()).isEqualTo("AA");
        String referralId = Referral.idFor(Incident.idFor(HOSPITAL, controlId), "police").toString();
        await().atMost(Duration.ofSeconds(15)).until(() -> policeRequestsWithKey(referralId).size() == 1);

        Hl7Client.Ack two = hl7.read(hl7.sendRaw("BHS|^~\\&|HIS|BAICHAY_HOSP\r"
                + adt("A04", newControlId(), "20170415", "DG1|1||T74.1^Physical abuse^I10")
                + adt("A04", newControlId(), "20170415", "DG1|1||T74.1^Physical abuse^I10") + "BTS|2\r"));
        assertThat(two.code()).isEqualTo("AR");
        assertThat(two.userMessage()).contains("batch of 2", "frame of its own");
    }

    @Test
    void aMessageOfAStructureHapiDoesNotKnowWithAReportIsTaken() throws Exception {
        String controlId = newControlId();
        // sent as the hospital wrote it (HAPI's own client would refuse to build it)
        Hl7Client.Ack ack = hl7.read(hl7.sendRaw(adt("A04", controlId, "20170415", "DG1|1||T74.1^Physical abuse^I10")
                .replace("ADT^A04^ADT_A01", "ZQA^Z01^ZQA_Z01") + "ZCP|S\r"));
        assertThat(ack.code()).isEqualTo("AA");
        assertThat(ack.controlId()).isEqualTo(controlId);
        String referralId = Referral.idFor(Incident.idFor(HOSPITAL, controlId), "police").toString();
        await().atMost(Duration.ofSeconds(15)).until(() -> policeRequestsWithKey(referralId).size() == 1);
        assertThat(json(policeRequestsWithKey(referralId).get(0).getBodyAsString()).get("incident").get("certainty").asText())
                .as("ZCP read after DG1, wherever it is").isEqualTo("suspected");
    }

    @Test
    void anUnknownSendingFacilityGetsArAndNothingElse() throws Exception {
        long intake = messagesAdded("cphub.intake");
        Hl7Client.Ack ack = hl7.send(adt("A04", newControlId(), "20170415", "DG1|1||T74.1^Physical abuse^I10")
                .replace("|BAICHAY_HOSP|", "|SOMEWHERE_ELSE|"));

        assertThat(ack.code()).isEqualTo("AR");
        assertThat(ack.errorCode()).isEqualTo("204");
        assertThat(ack.location()).isEqualTo("MSH^1^4");
        assertThat(messagesAdded("cphub.intake")).isEqualTo(intake);

        // kept for operators with why in no transport's terms, and no HTTP status: HL7 answers with AR
        jms.setReceiveTimeout(5000);
        jakarta.jms.Message kept = jms.receive("cphub.invalid");
        assertThat(kept).as("kept in cphub.invalid").isNotNull();
        assertThat(kept.getStringProperty(InvalidMessage.REFUSAL)).isEqualTo("NOT_PERMITTED");
        assertThat(kept.getStringProperty(InvalidMessage.ERROR)).isEqualTo("unknown_sender");
        assertThat(kept.propertyExists(InvalidMessage.STATUS)).as("no HTTP status for an HL7 message").isFalse();
    }

    @Test
    void enhancedModeGetsCommitAcknowledgements() throws Exception {
        String accepted = adt("A04", newControlId(), "20170415", "DG1|1||T74.1^Physical abuse^I10")
                .replace("|P|2.5.1", "|P|2.5.1|||AL|NE");
        assertThat(hl7.send(accepted).code()).isEqualTo("CA");
        String refused = accepted.replace("|P|2.5.1", "|P|2.2");
        assertThat(hl7.send(refused).code()).isEqualTo("CR");
    }

    @Test
    void fiftyHospitalConnectionsAtOnceAreAllAcknowledged() throws Exception {
        var pool = java.util.concurrent.Executors.newFixedThreadPool(50);
        try {
            var acks = new java.util.ArrayList<java.util.concurrent.Future<String>>();
            for (int i = 0; i < 50; i++) {
                String message = adt("A04", newControlId(), "20170415", "DG1|1||T74.1^Physical abuse^I10");
                acks.add(pool.submit(() -> {
                    try (Hl7Client client = new Hl7Client(hl7Port)) {
                        return client.send(message).code();
                    }
                }));
            }
            for (var ack : acks) {
                assertThat(ack.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("AA");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anApplicationTheHospitalDoesNotSendFromGetsAr() throws Exception {
        Hl7Client.Ack ack = hl7.send(adt("A04", newControlId(), "20170415", "DG1|1||T74.1^Physical abuse^I10")
                .replace("MSH|^~\\&|HIS|", "MSH|^~\\&|LAB|"));
        assertThat(ack.code()).isEqualTo("AR");
        assertThat(ack.errorCode()).isEqualTo("204");
    }

    @Test
    void textThatIsNotHl7GetsAr() throws Exception {
        Hl7Client.Ack ack = hl7.read(hl7.sendRaw("MSH|^~\\&|HIS|BAICHAY_HOSP|CPHUB|QN|20261128||ADT^A04|X-1|P|2.5\rthis is not a segment"));
        assertThat(ack.code()).isEqualTo("AR");
        assertThat(ack.controlId()).isEqualTo("X-1");
    }

    private double dropped(String reason) {
        var counter = meters.find("cphub.hospital.dropped").tags("channel", "hl7", "reason", reason, "partner", HOSPITAL).counter();
        return counter == null ? 0 : counter.count();
    }

    private static String newControlId() {
        return "T" + UUID.randomUUID().toString().replace("-", "").substring(0, 18);
    }

    /** A synthetic ADT message from the development hospital partner. */
    private static String adt(String event, String controlId, String birthDate, String dg1) {
        return String.join("\r",
                "MSH|^~\\&|HIS|BAICHAY_HOSP|CPHUB|QN|20261128140500+0700||ADT^" + event + "^ADT_A01|" + controlId + "|P|2.5.1",
                "EVN|" + event + "|20261128140500",
                "PID|1||BC-T-0001^^^BAICHAY_HOSP^MR||Synthetic^Hl7^Child||" + birthDate + "|F",
                "PV1|1|E",
                dg1) + "\r";
    }
}
