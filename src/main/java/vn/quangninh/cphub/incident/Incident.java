package vn.quangninh.cphub.incident;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The canonical incident message, version 1: what every connector produces and every route reads.
 * The JSON Schema {@code schema/incident-v1.schema.json} is the contract; these records are its typed view.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Incident(
        String schemaVersion,
        UUID incidentId,
        String messageType,
        List<UUID> references,
        Source source,
        OffsetDateTime receivedAt,
        OffsetDateTime occurredAt,
        String category,
        String certainty,
        Integer priority,
        Boolean signsOfCrime,
        Location location,
        List<Subject> subjects,
        Reporter reporter,
        List<Evidence> evidence,
        List<Code> codes,
        String narrative,
        String legalBasis,
        Map<String, String> sensitivity,
        List<DataQualityNote> dataQuality) {

    /**
     * The incident id is derived from the sender's event, so the same event sent twice is one incident
     * (name-based UUID over "system/eventId").
     */
    public static UUID idFor(String sourceSystem, String sourceEventId) {
        return UUID.nameUUIDFromBytes(("cphub/incident/" + sourceSystem + "/" + sourceEventId)
                .getBytes(StandardCharsets.UTF_8));
    }

    public boolean hasSignsOfCrime() {
        return Boolean.TRUE.equals(signsOfCrime);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Source(String system, String eventId, String channel) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Location(String siteId, String commune, String district, String address, Double lat, Double lon) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Subject(String role, String name, String birthDate, Integer age, String sex,
                          List<Identifier> identifiers, Boolean withheld) {
    }

    public record Identifier(String system, String value) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Reporter(String line, String callerNumber, Boolean numberWithheld, String ticketId, Call call) {
    }

    /** The hotline call a report came from (its SIP Call-ID and times, UTC). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Call(String callId, OffsetDateTime startedAt, OffsetDateTime answeredAt, OffsetDateTime endedAt,
                       Integer durationSeconds) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Evidence(String kind, String ref, String sha256, String mediaType, String camera, String channel) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Code(String system, String code, String display) {
    }

    /** What the hub gave up of a report to take it (an optional field that did not fit), never the value. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DataQualityNote(String field, String source, String action, String reason) {
    }
}
