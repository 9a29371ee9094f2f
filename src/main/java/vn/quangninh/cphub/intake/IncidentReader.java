package vn.quangninh.cphub.intake;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubHeaders;

/**
 * Parses the raw bytes a partner posted as one JSON object (400 otherwise): strict (no duplicate keys,
 * nothing after the object, nesting at most 32). {@link IncidentAdmission} takes it from there.
 */
@Component("incidentReader")
public class IncidentReader implements Processor {

    private final ObjectMapper json;

    public IncidentReader() {
        JsonFactory strict = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).maxStringLength(1 << 20).build())
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.json = new ObjectMapper(strict).findAndRegisterModules()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    @Override
    public void process(Exchange exchange) {
        exchange.getMessage().setBody(parse(exchange.getProperty(HubHeaders.RAW_BODY, byte[].class)));
    }

    /** One JSON object in strict UTF-8 (400 otherwise): the intake flows' and the partner API's one parser. */
    public ObjectNode parse(byte[] raw) {
        try {
            // Jackson would take overlong forms, lone surrogates and UTF-16 with a BOM: only UTF-8 is accepted
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw));
        } catch (CharacterCodingException e) {
            throw new IntakeRejectedException(Refusal.MALFORMED, "malformed_json", "The body is not UTF-8");
        }
        JsonNode node;
        try {
            node = json.readTree(raw);
        } catch (IOException e) {
            throw new IntakeRejectedException(Refusal.MALFORMED, "malformed_json", "The body is not well-formed JSON (UTF-8)",
                    List.of(firstLine(e)));
        }
        if (!(node instanceof ObjectNode object)) {
            throw new IntakeRejectedException(Refusal.MALFORMED, "malformed_json", "The body must be one JSON object");
        }
        return object;
    }

    private static String firstLine(IOException e) {
        String m = e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
        if (m == null) {
            return "unreadable";
        }
        int cut = m.indexOf('\n');
        return cut < 0 ? m : m.substring(0, cut);
    }
}
