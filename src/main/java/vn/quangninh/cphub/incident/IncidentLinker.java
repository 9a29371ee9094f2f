package vn.quangninh.cphub.incident;

import java.sql.Timestamp;
import java.text.Normalizer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Body;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.security.Hmac;

/**
 * Links incidents that are about the same child — the same identifier (system + value), or the same
 * name and birth date, after normalisation (case, spacing, Vietnamese diacritics) — or about the same site
 * within a window, across channels: the camera alert, the call and the hospital report. The store keeps
 * only keyed hashes (HMAC-SHA256 under {@code cphub.linking.key}), never a name or an identifier.
 *
 * <p>An incident carries at most {@code cphub.linking.max-links} links, the most recent first: a child reported
 * again and again (a ward's daily HL7 updates, a site's camera alerts) would otherwise make every later referral,
 * and the store query behind it, grow without bound — a bench run reached 0.5 MB referrals.
 */
@Component("incidentLinker")
public class IncidentLinker {

    /** An earlier incident linked to this one, as it travels with later referrals (ids and classification only). */
    public record LinkedIncident(String incidentId, String reason, String channel, String category) {
    }

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Clock clock;
    private final String key;
    private final Duration childWindow;
    private final Duration siteWindow;
    private final int maxLinks;

    public IncidentLinker(JdbcTemplate jdbc, ObjectMapper json, Clock clock, @Value("${cphub.linking.key}") String key,
                          @Value("${cphub.linking.child-window}") Duration childWindow,
                          @Value("${cphub.linking.site-window}") Duration siteWindow,
                          @Value("${cphub.linking.max-links:20}") int maxLinks) {
        if (key == null || key.length() < 16) {
            throw new IllegalStateException("cphub.linking.key (CPHUB_LINKING_KEY) must be at least 16 characters");
        }
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.key = key;
        this.childWindow = childWindow;
        this.siteWindow = siteWindow;
        if (maxLinks < 1) {
            throw new IllegalStateException("cphub.linking.max-links (CPHUB_LINKING_MAX_LINKS) must be at least 1");
        }
        this.maxLinks = maxLinks;
    }

    /** Records this incident's keys and returns the earlier incidents that share one; repeating it is harmless. */
    public List<LinkedIncident> link(@Body String incidentJson) throws JsonProcessingException {
        Incident incident = json.readValue(incidentJson, Incident.class);
        Map<String, String> keys = keysOf(incident);
        if (keys.isEmpty()) {
            return List.of();
        }
        Instant now = clock.instant();
        String self = incident.incidentId().toString();
        List<StoredLink> found = new ArrayList<>();
        keys.forEach((linkKey, kind) -> {
            Instant since = now.minus("site".equals(kind) ? siteWindow : childWindow);
            // the newest first, no more than can be kept (index incident_link_key_recent)
            jdbc.query("select incident_id, channel, category, seen_at from incident_link_key where link_key = ?"
                            + " and incident_id <> ? and seen_at >= ? order by seen_at desc fetch first " + maxLinks + " rows only",
                    rs -> {
                        found.add(new StoredLink(rs.getTimestamp(4).toInstant(), new LinkedIncident(rs.getString(1),
                                "site".equals(kind) ? "same-site" : "same-child", rs.getString(2), rs.getString(3))));
                    }, linkKey, self, Timestamp.from(since));
        });
        found.sort(Comparator.comparing(StoredLink::seenAt).reversed());
        Map<String, LinkedIncident> linked = new LinkedHashMap<>();
        for (StoredLink link : found) {
            if (linked.size() == maxLinks) {
                break;
            }
            linked.putIfAbsent(link.incident().incidentId(), link.incident());
        }
        // (a key already there: triage redelivered this incident)
        keys.forEach((linkKey, kind) -> jdbc.update("insert into incident_link_key (link_key, incident_id, kind, channel,"
                        + " category, seen_at) select ?, ?, ?, ?, ?, ? where not exists"
                        + " (select 1 from incident_link_key where link_key = ? and incident_id = ?)",
                linkKey, self, kind, incident.source().channel(), incident.category(), Timestamp.from(now), linkKey, self));
        return new ArrayList<>(linked.values());
    }

    private record StoredLink(Instant seenAt, LinkedIncident incident) {
    }

    private Map<String, String> keysOf(Incident incident) {
        Map<String, String> keys = new LinkedHashMap<>();
        if (incident.subjects() != null) {
            for (Incident.Subject subject : incident.subjects()) {
                if (!"victim".equals(subject.role())) {
                    continue;
                }
                if (subject.identifiers() != null) {
                    subject.identifiers().forEach(id -> keys.put(hash("id|" + normalise(id.system()) + "|"
                            + id.value().replaceAll("\\s+", "").toUpperCase(Locale.ROOT)), "child"));
                }
                if (subject.name() != null && !subject.name().isBlank() && subject.birthDate() != null) {
                    keys.put(hash("name-birth|" + normalise(subject.name()) + "|" + subject.birthDate()), "child");
                }
            }
        }
        if (incident.location() != null && incident.location().siteId() != null) {
            keys.put(hash("site|" + incident.location().siteId()), "site");
        }
        return keys;
    }

    /** Lower case, single spaces, no diacritics ("Nguyễn  Thị Đào" and "nguyen thi dao" are the same). */
    static String normalise(String text) {
        String plain = Normalizer.normalize(text.replace('đ', 'd').replace('Đ', 'D'), Normalizer.Form.NFD)
                .replaceAll("\\p{M}", "");
        return plain.toLowerCase(Locale.ROOT).trim().replaceAll("\\s+", " ");
    }

    private String hash(String value) {
        return Hmac.sha256Hex(key, value);
    }
}
