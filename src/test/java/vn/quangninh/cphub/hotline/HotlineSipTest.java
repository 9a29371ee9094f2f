package vn.quangninh.cphub.hotline;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import vn.quangninh.cphub.HubTestSupport;
import vn.quangninh.cphub.intake.InvalidMessage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * sipp plays the hotline PBX against the hub's SIP listener (UDP): a call event is answered 200 only once
 * it is on cphub.calls and becomes a call record; a retransmission is not a second event; a withheld
 * caller's number is kept nowhere; a wrong content type, a body that does not fit and a peer that is not
 * the PBX get 415, 400 and 403, and are kept for operators.
 */
class HotlineSipTest extends HubTestSupport {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CallRecords callRecords;

    @Test
    void aCallEventIsTakenOnceEvenWhenRetransmittedAndBecomesACallRecord() throws Exception {
        String callId = "call-" + UUID.randomUUID();
        long before = messagesAdded("cphub.calls");
        String event = "{\"event\":\"call.ended\",\"callId\":\"" + callId + "\",\"line\":\"111\",\"at\":\"2025-03-15T06:30:00+07:00\",\"durationSeconds\":312}";
        assertThat(Sipp.message(SIP_PORT, "127.0.0.1", "application/json", "", event, 2, 200)).isZero();

        await().atMost(Duration.ofSeconds(10)).until(() -> records(callId).size() == 1);
        Map<String, Object> record = records(callId).get(0);
        assertThat(record.get("LINE")).isEqualTo("111");
        assertThat(record.get("DURATION_SECONDS")).isEqualTo(312);
        assertThat(record.get("CALLER_NUMBER")).isEqualTo("0900000009");
        assertThat(messagesAdded("cphub.calls") - before).as("the retransmission is not a second event").isEqualTo(1);
        // counted on its day in Ha Long: 06:30 local time, still the day before in UTC
        assertThat(callRecords.countsPerLine(java.time.LocalDate.parse("2025-03-15"), java.time.ZoneId.of("Asia/Ho_Chi_Minh")))
                .containsKey("111").allSatisfy((line, count) -> assertThat(count.calls()).isPositive());
        assertThat(callRecords.countsPerLine(java.time.LocalDate.parse("2025-03-14"), java.time.ZoneId.of("Asia/Ho_Chi_Minh")))
                .doesNotContainKey("111");
    }

    @Test
    void aWithheldCallerLeavesNoNumber() throws Exception {
        String callId = "call-" + UUID.randomUUID();
        String event = "{\"event\":\"call.started\",\"callId\":\"" + callId + "\",\"line\":\"18001769\",\"at\":\"2026-11-28T14:00:00+07:00\"}";
        assertThat(Sipp.message(SIP_PORT, "127.0.0.1", "application/json", "Privacy: id", event, 1, 200)).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> records(callId).size() == 1);
        assertThat(records(callId).get(0).get("CALLER_NUMBER")).isNull();
        assertThat(records(callId).get(0).get("CALLER_WITHHELD")).isEqualTo(true);
    }

    @Test
    void withoutALineInTheEventTheCalledHotlineComesFromTheRequestUri() throws Exception {
        String callId = "call-" + UUID.randomUUID();
        String event = "{\"event\":\"call.answered\",\"callId\":\"" + callId + "\",\"at\":\"2026-11-28T14:01:00+07:00\"}";
        assertThat(Sipp.message(SIP_PORT, "127.0.0.1", "application/json", "", event, 1, 200)).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> records(callId).size() == 1);
        assertThat(records(callId).get(0).get("LINE")).as("MESSAGE sip:111@hub").isEqualTo("111");
    }

    @Test
    void badRequestsGetTheirSipStatusAndAreKept() throws Exception {
        long invalidBefore = messagesAdded("cphub.invalid");
        String good = "{\"event\":\"call.started\",\"callId\":\"x\",\"at\":\"2026-11-28T14:00:00+07:00\"}";
        assertThat(Sipp.message(SIP_PORT, "127.0.0.1", "text/plain", "", good, 1, 415)).isZero();
        assertThat(Sipp.message(SIP_PORT, "127.0.0.1", "application/json", "", "{\"event\":\"call.lost\"}", 1, 400)).isZero();
        assertThat(Sipp.message(SIP_PORT, "127.0.0.1", "application/json", "", "not json", 1, 400)).isZero();
        assertThat(Sipp.message(SIP_PORT, "127.0.0.2", "application/json", "", good, 1, 403)).as("not the PBX").isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> messagesAdded("cphub.invalid") - invalidBefore >= 4);
    }

    @Test
    void aRefusedRequestIsKeptWithItsSipStatusAndWhy() throws Exception {
        jms.setReceiveTimeout(100);
        while (jms.receive("cphub.invalid") != null) {
            // earlier tests' refusals
        }
        String event = "{\"event\":\"call.started\",\"callId\":\"y\",\"at\":\"2026-11-28T14:00:00+07:00\"}";
        assertThat(Sipp.message(SIP_PORT, "127.0.0.1", "text/plain", "", event, 1, 415)).isZero();

        jms.setReceiveTimeout(5000);
        jakarta.jms.Message kept = jms.receive("cphub.invalid");
        assertThat(kept).as("kept in cphub.invalid").isNotNull();
        assertThat(kept.getIntProperty(InvalidMessage.STATUS)).as("the SIP status the PBX got").isEqualTo(415);
        assertThat(kept.getStringProperty(InvalidMessage.REFUSAL)).isEqualTo("UNSUPPORTED");
        assertThat(kept.getStringProperty(InvalidMessage.CONNECTOR)).isEqualTo("hotline-sip");
    }

    private List<Map<String, Object>> records(String callId) {
        return jdbc.queryForList("select * from call_record where call_id = ?", callId);
    }
}
