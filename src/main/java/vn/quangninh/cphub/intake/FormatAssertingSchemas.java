package vn.quangninh.cphub.intake;

import java.io.InputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersionDetector;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jsonvalidator.JsonUriSchemaLoader;
import org.apache.camel.support.ResourceHelper;
import org.springframework.stereotype.Component;

/**
 * Loads a connector's input schema for Camel's {@code json-validator} ({@code ?uriSchemaLoader=#formatAssertingSchemas})
 * with format assertions on: a {@code date-time} or {@code date} that is not one is refused, as the canonical
 * incident schema does (draft 2020-12 only annotates formats by default). The draft is the schema's own
 * {@code $schema}.
 */
@Component("formatAssertingSchemas")
public class FormatAssertingSchemas implements JsonUriSchemaLoader {

    private final ObjectMapper json;

    public FormatAssertingSchemas(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public JsonSchema createSchema(CamelContext camelContext, String schemaUri) throws Exception {
        try (InputStream in = ResourceHelper.resolveMandatoryResourceAsInputStream(camelContext, schemaUri)) {
            JsonNode schema = json.readTree(in);
            return JsonSchemaFactory.getInstance(SpecVersionDetector.detect(schema))
                    .getSchema(schema, SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
        }
    }
}
