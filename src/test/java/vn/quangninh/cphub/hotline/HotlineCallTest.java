package vn.quangninh.cphub.hotline;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import vn.quangninh.cphub.HubTestSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The hub observes hotline calls the PBX shows it (INVITE / ACK / BYE / CANCEL), with sipp as the PBX:
 * sipp's built-in uac scenario over UDP and over TCP becomes a call record with its line, start, answer,
 * end and duration; a caller who hangs up while the hub rings leaves a call that was never answered; a
 * caller behind {@code Privacy: id} leaves no number; the statistics feed counts them per line and day.
 */
class HotlineCallTest extends HubTestSupport {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void theBuiltInUacCallOverUdpAndTcpBecomesCallRecords() throws Exception {
        List<String> earlier = jdbc.queryForList("select call_id from call_record", String.class);
        for (String transport : List.of("u1", "t1")) {
            long since = ended("18001769");
            assertThat(Sipp.builtInUac(SIP_PORT, transport, "18001769", 1200)).as("sipp uac over " + transport).isZero();
            await().atMost(Duration.ofSeconds(10)).until(() -> ended("18001769") > since);
        }
        List<Map<String, Object>> calls = jdbc.queryForList("select * from call_record where line = '18001769'").stream()
                .filter(call -> !earlier.contains((String) call.get("CALL_ID"))).toList();
        assertThat(calls).hasSize(2);
        for (Map<String, Object> call : calls) {
            assertThat(call.get("ANSWERED_AT")).isNotNull();
            assertThat(call.get("STARTED_AT")).isNotNull();
            assertThat(call.get("ENDED_AT")).isNotNull();
            assertThat((Integer) call.get("DURATION_SECONDS")).as("1.2 s of talk").isBetween(1, 3);
            assertThat(call.get("CALLER_NUMBER")).as("sipp's From names no number").isNull();
        }
    }

    @Test
    void aCallerWhoHangsUpWhileTheHubRingsLeavesAnUnansweredCall() throws Exception {
        String prefix = "cancel-" + UUID.randomUUID();
        long eventsBefore = messagesAdded("cphub.calls");
        assertThat(Sipp.cancelledCall(SIP_PORT, prefix, "111")).isZero();
        String callId = prefix + "-1@pbx";
        await().atMost(Duration.ofSeconds(10)).until(() -> record(callId) != null && record(callId).get("ENDED_AT") != null);
        Map<String, Object> call = record(callId);
        assertThat(call.get("LINE")).isEqualTo("111");
        assertThat(call.get("STARTED_AT")).isNotNull();
        assertThat(call.get("ANSWERED_AT")).as("never answered").isNull();
        assertThat(call.get("DURATION_SECONDS")).isNull();
        assertThat(call.get("CALLER_NUMBER")).isEqualTo("0900000009");
        assertThat(messagesAdded("cphub.calls") - eventsBefore).as("started and ended, nothing else").isEqualTo(2);
    }

    @Test
    void aWithheldCallerOfAnObservedCallLeavesNoNumber() throws Exception {
        String prefix = "withheld-" + UUID.randomUUID();
        assertThat(Sipp.call(SIP_PORT, prefix, "111", "0900000077", "Privacy: id", 100)).isZero();
        String callId = prefix + "-1@pbx";
        await().atMost(Duration.ofSeconds(10)).until(() -> record(callId) != null && record(callId).get("ENDED_AT") != null);
        assertThat(record(callId).get("CALLER_NUMBER")).isNull();
        assertThat(record(callId).get("CALLER_WITHHELD")).isEqualTo(true);
        assertThat(record(callId).get("ANSWERED_AT")).isNotNull();
    }

    @Test
    void theStatisticsFeedCountsCallsPerLineForTheSocialAffairsDepartmentOnly() throws Exception {
        String today = java.time.LocalDate.ofInstant(CLOCK.instant(), java.time.ZoneId.of("Asia/Ho_Chi_Minh")).toString();
        JsonNode before = json(statistics("social-affairs", "social-affairs-dev-secret", "?date=" + today).body());
        assertThat(Sipp.cancelledCall(SIP_PORT, "stats-" + UUID.randomUUID(), "18001769")).isZero();
        assertThat(Sipp.call(SIP_PORT, "stats-" + UUID.randomUUID(), "18001769", "0900000088", "", 100)).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() ->
                count(json(statistics("social-affairs", "social-affairs-dev-secret", "").body()), "calls") == count(before, "calls") + 2);
        JsonNode after = json(statistics("social-affairs", "social-affairs-dev-secret", "?date=" + today).body());
        assertThat(after.get("date").asText()).isEqualTo(today);
        assertThat(count(after, "answered")).as("the cancelled call was never answered").isEqualTo(count(before, "answered") + 1);
        assertThat(after.toString()).doesNotContain("0900000088").doesNotContain("stats-");

        assertThat(statistics("police", "police-dev-secret", "").statusCode()).isEqualTo(403);
        assertThat(statistics("social-affairs", "a-wrong-secret", "").statusCode()).isEqualTo(401);
        HttpResponse<String> badDate = statistics("social-affairs", "social-affairs-dev-secret", "?date=28-11-2026");
        assertThat(badDate.statusCode()).isEqualTo(400);
        assertThat(json(badDate.body()).get("error").asText()).isEqualTo("bad_date");
    }

    private HttpResponse<String> statistics(String partner, String secret, String query) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/statistics/calls" + query))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((partner + ":" + secret).getBytes(StandardCharsets.UTF_8)))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The count of line 18001769 in a statistics answer. */
    private static long count(JsonNode statistics, String field) {
        for (JsonNode line : statistics.get("lines")) {
            if (line.get("line").asText().equals("18001769")) {
                return line.get(field).asLong();
            }
        }
        return 0;
    }

    private long ended(String line) {
        return jdbc.queryForObject("select count(*) from call_record where line = ? and ended_at is not null", Long.class, line);
    }

    private Map<String, Object> record(String callId) {
        List<Map<String, Object>> rows = jdbc.queryForList("select * from call_record where call_id = ?", callId);
        return rows.isEmpty() ? null : rows.get(0);
    }
}
