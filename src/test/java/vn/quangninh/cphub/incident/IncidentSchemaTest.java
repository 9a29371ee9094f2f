package vn.quangninh.cphub.incident;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import vn.quangninh.cphub.SyntheticIncidents;

import static org.assertj.core.api.Assertions.assertThat;

class IncidentSchemaTest {

    private final IncidentSchema schema;

    IncidentSchemaTest() throws Exception {
        schema = new IncidentSchema();
    }

    @Test
    void aCompleteIncidentIsValid() {
        assertThat(schema.violations(SyntheticIncidents.incident("T-1"))).isEmpty();
    }

    @Test
    void violationsNameTheField() {
        ObjectNode bad = SyntheticIncidents.incident("T-2");
        bad.put("category", "bullying");
        bad.put("occurredAt", "yesterday");
        ((ObjectNode) bad.get("subjects").get(0)).put("birthDate", "01/03/2016");
        ((ObjectNode) bad.get("source")).put("system", "Hotline CRM");

        assertThat(schema.violations(bad)).anySatisfy(v -> assertThat(v).startsWith("/category"))
                .anySatisfy(v -> assertThat(v).startsWith("/occurredAt"))
                .anySatisfy(v -> assertThat(v).startsWith("/subjects/0/birthDate"))
                .anySatisfy(v -> assertThat(v).startsWith("/source/system"));
    }
}
