package vn.quangninh.cphub.referral;

import vn.quangninh.cphub.model.ReferralStatus;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubHeaders;
import vn.quangninh.cphub.intake.IntakeRejectedException;
import vn.quangninh.cphub.intake.Refusal;

/**
 * Reads a recipient's status report: {@code {"status": "...", "caseId": "...", "reason": "..."}}.
 * 400 when it is not JSON, 422 with every problem when it does not fit.
 */
@Component("statusReportReader")
public class StatusReportReader implements Processor {

    private static final Set<String> FIELDS = Set.of("status", "caseId", "reason");

    private final vn.quangninh.cphub.intake.IncidentReader reader;

    public StatusReportReader(vn.quangninh.cphub.intake.IncidentReader reader) {
        this.reader = reader;
    }

    @Override
    public void process(Exchange exchange) {
        JsonNode node = reader.parse(exchange.getProperty(HubHeaders.RAW_BODY, byte[].class)); // 400: strict, as every intake
        List<String> problems = new ArrayList<>();
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                problems.add("/" + name + ": unknown field");
            }
        }
        ReferralStatus status = null;
        JsonNode s = node.get("status");
        if (s == null || !s.isTextual()) {
            problems.add("/status: required, one of received, accepted, declined, closed");
        } else {
            try {
                status = ReferralStatus.of(s.asText());
                if (!ReferralStatus.REPORTABLE.contains(status)) {
                    problems.add("/status: a recipient reports received, accepted, declined or closed");
                }
            } catch (IllegalArgumentException e) {
                problems.add("/status: must be received, accepted, declined or closed");
            }
        }
        String caseId = text(node, "caseId", 128, problems);
        String reason = text(node, "reason", 1000, problems);
        if (status == ReferralStatus.DECLINED && (reason == null || reason.isBlank())) {
            problems.add("/reason: required when declining");
        }
        if (!problems.isEmpty()) {
            throw new IntakeRejectedException(Refusal.INVALID, "invalid_status_report", "The status report does not fit the API", problems);
        }
        exchange.getMessage().setBody(new StatusReport(status, caseId, reason));
    }

    private static String text(JsonNode node, String field, int max, List<String> problems) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || value.asText().length() > max) {
            problems.add("/" + field + ": must be a string of at most " + max + " characters");
            return null;
        }
        return value.asText();
    }
}
