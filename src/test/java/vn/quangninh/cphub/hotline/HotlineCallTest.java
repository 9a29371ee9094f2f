package vn.quangninh.cphub.hotline;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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
 * caller behind {@code Privacy: id} leaves no number.
 */
class HotlineCallTest extends HubTestSupport {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void theBuiltInUacCallOverUdpAndTcpBecomesCallRecords() throws Exception {
        for (String transport : List.of("u1", "t1")) {
            Map<String, Object> since = jdbc.queryForMap("select count(*) as n from call_record where line = '18001769'");
            assertThat(Sipp.builtInUac(SIP_PORT, transport, "18001769", 1200)).as("sipp uac over " + transport).isZero();
            await().atMost(Duration.ofSeconds(10)).until(() -> ended("18001769") > ((Number) since.get("N")).longValue());
        }
        for (Map<String, Object> call : jdbc.queryForList("select * from call_record where line = '18001769' and answered_at is not null")) {
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

    private long ended(String line) {
        return jdbc.queryForObject("select count(*) from call_record where line = ? and ended_at is not null", Long.class, line);
    }

    private Map<String, Object> record(String callId) {
        List<Map<String, Object>> rows = jdbc.queryForList("select * from call_record where call_id = ?", callId);
        return rows.isEmpty() ? null : rows.get(0);
    }
}
