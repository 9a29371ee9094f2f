package vn.quangninh.cphub.routing;

import vn.quangninh.cphub.model.FieldGroup;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import vn.quangninh.cphub.SyntheticIncidents;

import static org.assertj.core.api.Assertions.assertThat;

class RedactionProfileTest {

    private final ObjectNode incident = SyntheticIncidents.incident("T-redaction");

    @Test
    void aProfileWithNoGroupsKeepsOnlyTheFieldsEveryRecipientMaySee() {
        ObjectNode copy = new RedactionProfile("none", List.of()).apply(incident);

        assertThat(copy.get("subjects").get(0).has("name")).isFalse();
        assertThat(copy.get("subjects").get(0).has("birthDate")).isFalse();
        assertThat(copy.get("subjects").get(0).has("identifiers")).isFalse();
        assertThat(copy.get("subjects").get(0).get("role").asText()).isEqualTo("victim");
        assertThat(copy.get("reporter").has("callerNumber")).isFalse();
        assertThat(copy.get("reporter").get("line").asText()).isEqualTo("111");
        assertThat(copy.has("codes")).isFalse();
        assertThat(copy.has("narrative")).isFalse();
        assertThat(copy.get("location").has("address")).isFalse();
        assertThat(copy.get("location").has("lat")).isFalse();
        assertThat(copy.get("location").get("district").asText()).isEqualTo("Ha Long");
        assertThat(copy.get("category").asText()).isEqualTo("violence");
        assertThat(copy.toString()).doesNotContain("Synthetic Child Alpha", "0900000001", "2016-03-01", "12 Synthetic Street");
    }

    @Test
    void grantedGroupsStayAndTheOriginalIsUntouched() {
        ObjectNode copy = new RedactionProfile("police", List.of(FieldGroup.IDENTITY, FieldGroup.NARRATIVE)).apply(incident);

        assertThat(copy.get("subjects").get(0).get("name").asText()).isEqualTo("Synthetic Child Alpha");
        assertThat(copy.get("narrative").asText()).isNotBlank();
        assertThat(copy.has("codes")).isFalse();
        assertThat(incident.has("codes")).as("the original keeps everything").isTrue();
        assertThat(new RedactionProfile("police", List.of(FieldGroup.IDENTITY)).withheld())
                .containsExactlyInAnyOrder(FieldGroup.CONTACT, FieldGroup.MEDICAL, FieldGroup.NARRATIVE,
                        FieldGroup.EVIDENCE, FieldGroup.LOCATION);
    }
}
