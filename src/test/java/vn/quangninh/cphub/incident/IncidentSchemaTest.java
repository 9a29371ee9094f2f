package vn.quangninh.cphub.incident;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import vn.quangninh.cphub.SyntheticIncidents;
import vn.quangninh.cphub.intake.IncidentReader;

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

    /** Read as the partner API reads it: 9.0, 9.0000000000000000000001 and 1e-999999 are not ages. */
    @Test
    void anAgeIsAWholeNumberWrittenAsOne() {
        for (String age : List.of("1e-999999", "9.0000000000000000000001", "9.0", "1e1", "-0.0")) {
            assertThat(schema.violations(withAge(age))).as(age)
                    .containsExactly("/subjects/0/age: must be a whole number written without a fraction or an exponent");
        }
        assertThat(schema.violations(withAge("9"))).isEmpty();
        assertThat(schema.violations(withAge("1e999999"))).as("out of range").isNotEmpty();
    }

    @Test
    void textHoldsNoControlCharacters() {
        ObjectNode bad = SyntheticIncidents.incident("T-3");
        ((ObjectNode) bad.get("subjects").get(0)).put("name", "Synthetic\u0000Child");
        ((ObjectNode) bad.get("location")).put("commune", "Hong\u001bGai");
        bad.put("narrative", "Two lines,\nand a tab:\tfine.");
        assertThat(schema.violations(bad)).containsExactly("/location/commune: must not contain control characters",
                "/subjects/0/name: must not contain control characters");
    }

    private static ObjectNode withAge(String age) {
        String text = SyntheticIncidents.incident("T-4").toString().replace("\"sex\":\"female\"", "\"sex\":\"female\",\"age\":" + age);
        return new IncidentReader().parse(text.getBytes(StandardCharsets.UTF_8));
    }
}
