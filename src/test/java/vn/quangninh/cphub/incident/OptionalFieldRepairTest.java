package vn.quangninh.cphub.incident;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the hub gives up of a report to take it, and what it never gives up. */
class OptionalFieldRepairTest {

    private final IncidentSchema schema = schema();
    private final OptionalFieldRepair repair = new OptionalFieldRepair(schema);
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void optionalValuesThatDoNotFitAreDroppedOrCutEachWithANoteAndTheRestIsKept() {
        ObjectNode incident = valid();
        ObjectNode victim = incident.putArray("subjects").addObject().put("role", "victim").put("name", "x".repeat(300))
                .put("birthDate", "2017-13-45").put("sex", "F");
        ArrayNode ids = victim.putArray("identifiers");
        for (int i = 0; i < 12; i++) {
            ids.addObject().put("system", "MR").put("value", "MRN-" + i);
        }
        ((ObjectNode) ids.get(1)).put("value", "v".repeat(129));
        ArrayNode codes = incident.putArray("codes");
        for (int i = 0; i < 60; i++) {
            codes.addObject().put("system", "LN").put("code", "C" + i);
        }
        incident.put("narrative", "n".repeat(20_001));

        OptionalFieldRepair.Result result = repair.repair(incident);

        assertThat(result.unrepairable()).isEmpty();
        assertThat(schema.violations(incident)).isEmpty();
        assertThat(result.notes()).extracting(OptionalFieldRepair.Note::field, OptionalFieldRepair.Note::action)
                .contains(org.assertj.core.groups.Tuple.tuple("/subjects/0/name", "dropped"),
                        org.assertj.core.groups.Tuple.tuple("/subjects/0/birthDate", "dropped"),
                        org.assertj.core.groups.Tuple.tuple("/subjects/0/sex", "dropped"),
                        org.assertj.core.groups.Tuple.tuple("/subjects/0/identifiers", "truncated"),
                        org.assertj.core.groups.Tuple.tuple("/codes", "truncated"),
                        org.assertj.core.groups.Tuple.tuple("/narrative", "truncated"));
        assertThat(incident.at("/subjects/0/role").asText()).isEqualTo("victim");
        assertThat(incident.at("/codes").size()).isEqualTo(50);
        assertThat(incident.at("/codes/0/code").asText()).as("the first kept").isEqualTo("C0");
        assertThat(incident.at("/narrative").asText()).hasSize(20_000);
        assertThat(incident.at("/subjects/0/identifiers").size()).as("10 kept, the one too long dropped").isEqualTo(9);
        assertThat(result.notes()).allSatisfy(n -> assertThat(n.reason()).doesNotContain("xxx", "vvv", "2017-13"));
    }

    @Test
    void whatTheIncidentCannotExistWithoutIsNeverRepaired() {
        ObjectNode noEventId = valid();
        ((ObjectNode) noEventId.get("source")).put("eventId", "");
        noEventId.putArray("codes").addObject().put("system", "x".repeat(65)).put("code", "T74.1");

        OptionalFieldRepair.Result result = repair.repair(noEventId);

        assertThat(result.unrepairable()).extracting(IncidentSchema.Violation::pointer).containsExactly("/source/eventId");
        assertThat(noEventId.at("/source/eventId").isMissingNode()).as("left as it was").isFalse();

        ObjectNode noPriority = valid();
        noPriority.remove("priority");
        assertThat(repair.repair(noPriority).unrepairable()).extracting(IncidentSchema.Violation::property)
                .containsExactly("priority");
    }

    @Test
    void aValidIncidentIsLeftAsItIs() {
        ObjectNode incident = valid();
        String before = incident.toString();
        assertThat(repair.repair(incident).notes()).isEmpty();
        assertThat(incident.toString()).isEqualTo(before);
    }

    private ObjectNode valid() {
        ObjectNode incident = json.createObjectNode().put("schemaVersion", "1").put("messageType", "alert");
        incident.putObject("source").put("system", "hospital-baichay").put("eventId", "E-1").put("channel", "hospital");
        return incident.put("category", "violence").put("certainty", "confirmed").put("priority", 2);
    }

    private static IncidentSchema schema() {
        try {
            return new IncidentSchema();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
