package vn.quangninh.cphub.hotline;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Body;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The calls to the hotlines ({@code call_record}), from the call events on cphub.calls: one row per SIP
 * Call-ID, each event filling in its part (started, answered, ended with its duration). A repeated event
 * changes nothing. A withheld caller's number is never stored.
 */
@Component("callRecords")
public class CallRecords {

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Clock clock;

    public CallRecords(JdbcTemplate jdbc, ObjectMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    public void record(@Body String callEvent) throws JsonProcessingException {
        JsonNode e = json.readTree(callEvent);
        String callId = e.get("callId").asText();
        boolean withheld = e.path("callerWithheld").asBoolean(true);
        String number = withheld ? null : e.path("callerNumber").asText(null);
        Timestamp now = Timestamp.from(clock.instant());
        try {
            jdbc.update("insert into call_record (call_id, line, caller_number, caller_withheld, updated_at) values (?, ?, ?, ?, ?)",
                    callId, e.path("line").asText(null), number, withheld, now);
        } catch (DuplicateKeyException known) {
            // a later event of the same call
        }
        Timestamp at = Timestamp.from(OffsetDateTime.parse(e.get("at").asText()).toInstant());
        String column = switch (e.get("event").asText()) {
            case "call.started" -> "started_at";
            case "call.answered" -> "answered_at";
            default -> "ended_at";
        };
        jdbc.update("update call_record set " + column + " = coalesce(" + column + ", ?), line = coalesce(line, ?),"
                        + " duration_seconds = coalesce(?, duration_seconds), updated_at = ? where call_id = ?",
                at, e.path("line").asText(null), e.has("durationSeconds") ? e.get("durationSeconds").asInt() : null, now, callId);
        // a call the hub observed itself: the duration runs from the answer to the end
        jdbc.query("select answered_at, ended_at from call_record where call_id = ? and duration_seconds is null"
                + " and answered_at is not null and ended_at is not null", rs -> {
                    long seconds = Duration.between(rs.getTimestamp("answered_at").toInstant(), rs.getTimestamp("ended_at").toInstant())
                            .toSeconds();
                    jdbc.update("update call_record set duration_seconds = ? where call_id = ? and duration_seconds is null",
                            (int) Math.max(0, seconds), callId);
                }, callId);
    }

    /** The call with this SIP Call-ID, when the PBX has told the hub about it. */
    public Optional<Call> find(String callId) {
        return jdbc.query("select * from call_record where call_id = ?", (rs, i) -> new Call(rs.getString("call_id"),
                rs.getString("line"), instant(rs.getTimestamp("started_at")), instant(rs.getTimestamp("answered_at")),
                instant(rs.getTimestamp("ended_at")), (Integer) rs.getObject("duration_seconds"),
                rs.getString("caller_number"), rs.getBoolean("caller_withheld")), callId).stream().findFirst();
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    /** A call as the store keeps it; {@code callerNumber} is null when withheld. */
    public record Call(String callId, String line, Instant startedAt, Instant answeredAt, Instant endedAt,
                       Integer durationSeconds, String callerNumber, boolean callerWithheld) {
        /** The call is over: its facts will not change any more. */
        public boolean ended() {
            return endedAt != null;
        }
    }

    /** Calls per line on one day (in {@code zone}), for the statistics feed: all calls, and those answered. */
    public Map<String, LineCount> countsPerLine(LocalDate day, ZoneId zone) {
        return countsPerLine(day.atStartOfDay(zone).toInstant(), day.plusDays(1).atStartOfDay(zone).toInstant());
    }

    /** Calls per line from {@code start} (inclusive) to {@code end} (exclusive): all calls, and those answered. */
    public Map<String, LineCount> countsPerLine(java.time.Instant start, java.time.Instant end) {
        Timestamp from = Timestamp.from(start);
        Timestamp to = Timestamp.from(end);
        Map<String, LineCount> counts = new java.util.TreeMap<>();
        jdbc.query("select coalesce(line, 'unknown') as line, count(*) as calls, count(answered_at) as answered"
                + " from call_record where coalesce(started_at, answered_at, ended_at) >= ? and coalesce(started_at, answered_at, ended_at) < ?"
                + " group by coalesce(line, 'unknown')",
                rs -> {
                    counts.put(rs.getString("line"), new LineCount(rs.getLong("calls"), rs.getLong("answered")));
                }, from, to);
        return counts;
    }

    /** The calls to one line on one day, and how many of them were answered. */
    public record LineCount(long calls, long answered) {
    }
}
