package vn.quangninh.cphub.hotline;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.intake.IntakeRejectedException;
import vn.quangninh.cphub.intake.Refusal;

/**
 * The statistics feed of the hotlines: calls per line on one day (the province's day,
 * {@code cphub.statistics.time-zone}), all and answered, from the call records — with or without a
 * ticket, and never a number. Only partners marked {@code statistics: true} in config/partners.yaml read it (partner.StatisticsReaders, a step of its route).
 */
@Component("callStatistics")
public class CallStatistics {

    private final CallRecords calls;
    private final ObjectMapper json;
    private final Clock clock;
    private final ZoneId zone;

    public CallStatistics(CallRecords calls, ObjectMapper json, Clock clock,
                          @Value("${cphub.statistics.time-zone}") String zone) {
        this.calls = calls;
        this.json = json;
        this.clock = clock;
        this.zone = ZoneId.of(zone);
    }

    /** {@code GET /api/v1/statistics/calls[?date=YYYY-MM-DD]} (today by default): the body becomes the counts. */
    public void report(Exchange exchange) {
        String date = exchange.getMessage().getHeader("date", String.class);
        LocalDate day;
        try {
            day = date == null || date.isBlank() ? LocalDate.ofInstant(clock.instant(), zone) : LocalDate.parse(date);
        } catch (DateTimeParseException e) {
            throw new IntakeRejectedException(Refusal.MALFORMED, "bad_date", "date is YYYY-MM-DD");
        }
        ObjectNode body = json.createObjectNode().put("date", day.toString()).put("timeZone", zone.getId());
        long total = 0;
        long answered = 0;
        var lines = body.putArray("lines");
        for (Map.Entry<String, CallRecords.LineCount> line : calls.countsPerLine(day, zone).entrySet()) {
            lines.addObject().put("line", line.getKey()).put("calls", line.getValue().calls()).put("answered", line.getValue().answered());
            total += line.getValue().calls();
            answered += line.getValue().answered();
        }
        body.put("calls", total).put("answered", answered);
        exchange.getMessage().setBody(body.toString());
    }
}
