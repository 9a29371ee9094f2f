package vn.quangninh.cphub;

import java.io.IOException;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Synthetic test incidents: no real child, phone number or address anywhere. */
public final class SyntheticIncidents {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SyntheticIncidents() {
    }

    public static String newEventId() {
        return "T-" + UUID.randomUUID();
    }

    /** A valid incident that no shipped routing rule matches: ruled out, no signs of crime, priority 3. */
    public static ObjectNode unroutedIncident(String eventId) {
        ObjectNode incident = incident(eventId);
        incident.put("certainty", "ruled_out");
        incident.put("signsOfCrime", false);
        incident.put("priority", 3);
        return incident;
    }

    /** A valid incident from the hotline CRM with signs of crime (so routed to police). */
    public static ObjectNode incident(String eventId) {
        try {
            return (ObjectNode) JSON.readTree("""
                    {"schemaVersion":"1","messageType":"alert",
                     "source":{"system":"hotline-crm","eventId":"%s","channel":"hotline"},
                     "occurredAt":"2026-11-28T14:05:00+07:00","category":"violence","certainty":"suspected",
                     "priority":2,"signsOfCrime":true,
                     "location":{"commune":"Hong Gai","district":"Ha Long","address":"12 Synthetic Street","lat":20.95,"lon":107.08},
                     "subjects":[{"role":"victim","name":"Synthetic Child Alpha","birthDate":"2016-03-01","sex":"female",
                                  "identifiers":[{"system":"school-roll","value":"SR-0001"}]}],
                     "reporter":{"line":"111","callerNumber":"0900000001","numberWithheld":false,"ticketId":"%s"},
                     "codes":[{"system":"ICD-10","code":"T74.1"}],
                     "narrative":"Synthetic narrative for tests.","legalBasis":"crime_prevention"}
                    """.formatted(eventId, eventId));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A hospital's HL7 v2 report (ADT^A04, ICD-10 T74.1 physical abuse) about a synthetic child, with its control id. */
    public static String hospitalReport(String controlId) {
        return String.join("\r",
                "MSH|^~\\&|HIS|BAICHAY_HOSP|CPHUB|QN|20261128140500+0700||ADT^A04^ADT_A01|" + controlId + "|P|2.5.1",
                "EVN|A04|20261128140500",
                "PID|1||BC-T-0002^^^BAICHAY_HOSP^MR||Synthetic^Down^Child||20170415|F",
                "PV1|1|E",
                "DG1|1||T74.1^Physical abuse^I10") + "\r";
    }
}
