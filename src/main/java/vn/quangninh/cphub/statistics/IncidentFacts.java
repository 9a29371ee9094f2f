package vn.quangninh.cphub.statistics;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.format.DateTimeParseException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubHeaders;
import vn.quangninh.cphub.site.Site;
import vn.quangninh.cphub.site.SiteRegistry;

/**
 * Keeps what the programme's statistics count a report by, in {@code incident_fact}: written by triage in its store
 * transaction, once per incident (a redelivery or a re-triage keeps the first). Coarse on purpose: the channel and
 * line, category, priority, signs of crime, district and commune, the site's kind, and the child (the first
 * victim) as an age group and a sex. Never a name, birth date, address, number or person's id. Updates and
 * cancellations are not reports and are not counted.
 */
@Component("incidentFacts")
public class IncidentFacts {

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final SiteRegistry sites;
    private final java.time.Clock clock;

    public IncidentFacts(JdbcTemplate jdbc, ObjectMapper json, SiteRegistry sites, java.time.Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.sites = sites;
        this.clock = clock;
    }

    public void record(@Header(HubHeaders.INCIDENT_ID) String incidentId, @ExchangeProperty("cphubIncident") String incidentJson)
            throws com.fasterxml.jackson.core.JsonProcessingException {
        if (incidentId == null || incidentJson == null) {
            return;
        }
        JsonNode incident = json.readTree(incidentJson);
        if (!incident.path("messageType").asText("alert").equals("alert")) {
            return;
        }
        JsonNode location = incident.path("location");
        JsonNode child = child(incident);
        Instant received = instant(incident.path("receivedAt").asText(null));
        String siteKind = sites.site(location.path("siteId").asText(null)).map(Site::kind).orElse(null);
        jdbc.update("insert into incident_fact (incident_id, received_at, channel, line, source_system, category, priority,"
                        + " signs_of_crime, district, commune, site_kind, age_group, sex)"
                        + " select ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? where not exists (select 1 from incident_fact where incident_id = ?)",
                incidentId, Timestamp.from(received == null ? clock.instant() : received),
                incident.path("source").path("channel").asText("partner"),
                text(incident.path("reporter").path("line"), 16),
                text(incident.path("source").path("system"), 64) == null ? "unknown" : text(incident.path("source").path("system"), 64),
                incident.path("category").asText("other"),
                incident.path("priority").asInt(3),
                incident.path("signsOfCrime").asBoolean(false),
                text(location.path("district"), 128), text(location.path("commune"), 128), siteKind,
                AgeGroup.of(child, incident), sex(child), incidentId);
    }

    /** The child the report is about: the first victim, or none. */
    private static JsonNode child(JsonNode incident) {
        for (JsonNode subject : incident.path("subjects")) {
            if (subject.path("role").asText().equals("victim")) {
                return subject;
            }
        }
        return null;
    }

    private static String sex(JsonNode child) {
        String sex = child == null ? "unknown" : child.path("sex").asText("unknown");
        return switch (sex) {
            case "female", "male", "other" -> sex;
            default -> "unknown";
        };
    }

    private static String text(JsonNode node, int max) {
        if (node == null || !node.isTextual() || node.asText().isBlank()) {
            return null;
        }
        String value = node.asText().strip();
        return value.length() > max ? value.substring(0, max) : value;
    }

    private static Instant instant(String value) {
        try {
            return value == null ? null : OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The statistics' age groups of a child: 0–5, 6–10, 11–15, 16+ (16 and 17), or unknown. */
    static final class AgeGroup {

        private AgeGroup() {
        }

        static String of(JsonNode child, JsonNode incident) {
            Integer age = null;
            if (child != null && child.path("age").isInt()) {
                age = child.path("age").asInt();
            } else if (child != null && child.path("birthDate").isTextual()) {
                age = ageOn(child.path("birthDate").asText(), incident);
            }
            return of(age);
        }

        static String of(Integer age) {
            if (age == null || age < 0) {
                return "unknown";
            }
            return age <= 5 ? "0-5" : age <= 10 ? "6-10" : age <= 15 ? "11-15" : "16+";
        }

        /** The age on the day it happened (or was reported); the birth date is read, never kept. */
        private static Integer ageOn(String birthDate, JsonNode incident) {
            try {
                Instant when = instant(incident.path("occurredAt").asText(null));
                if (when == null) {
                    when = instant(incident.path("receivedAt").asText(null));
                }
                if (when == null) {
                    return null;
                }
                LocalDate on = LocalDate.ofInstant(when, java.time.ZoneOffset.UTC);
                return Period.between(LocalDate.parse(birthDate), on).getYears();
            } catch (DateTimeParseException e) {
                return null;
            }
        }
    }
}
