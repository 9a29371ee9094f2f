package vn.quangninh.cphub.statistics;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubHeaders;
import vn.quangninh.cphub.intake.IntakeRejectedException;
import vn.quangninh.cphub.intake.Refusal;

/**
 * The programme's statistics report for one period ({@code period=H1|H2|year} with {@code year}, or
 * {@code from}/{@code to}), optionally grouped ({@code groupBy}), small cells hidden, every read recorded. Read by
 * partners marked {@code statistics: true} ({@code GET /api/v1/statistics/report}, connectors/partner-api) and by
 * console users with the role {@code statistics} ({@link StatisticsConsoleController}).
 */
@Component("statisticsReport")
public class StatisticsReport {

    private final ProgrammeReport report;
    private final StatisticsReads reads;
    private final ObjectMapper json;
    private final Clock clock;
    private final ZoneId zone;
    private final SmallCells cells;

    public StatisticsReport(ProgrammeReport report, StatisticsReads reads, ObjectMapper json, Clock clock,
                            @Value("${cphub.statistics.time-zone}") String zone, SmallCells cells) {
        this.report = report;
        this.reads = reads;
        this.json = json;
        this.clock = clock;
        this.zone = ZoneId.of(zone);
        this.cells = cells;
    }

    /** What a request asks for: the period's parameters, the grouping and the format. */
    public record Request(String period, String year, String from, String to, String groupBy, String format) {

        String formatOrJson() {
            return format == null || format.isBlank() ? "json" : format.strip();
        }
    }

    /**
     * Builds and publishes the report, and records who read it.
     *
     * @throws BadReportRequest naming the parameter that is wrong
     */
    public PublishedReport read(Request request, String reader, String readerKind) {
        String format = request.formatOrJson();
        if (!format.equals("json") && !format.equals("csv") && !format.equals("html")) {
            throw new BadReportRequest("format is json, csv or html (printable)");
        }
        String groupBy = request.groupBy() == null || request.groupBy().isBlank() ? null : request.groupBy().strip();
        ReportPeriod period = ReportPeriod.of(request.period(), request.year(), request.from(), request.to(), zone,
                LocalDate.ofInstant(clock.instant(), zone));
        PublishedReport published = PublishedReport.of(period, groupBy, clock.instant(), cells, report.build(period, groupBy));
        reads.record(reader, readerKind, "programme " + period.label() + (groupBy == null ? "" : " groupBy=" + groupBy) + " " + format);
        return published;
    }

    /** {@code GET /api/v1/statistics/report} for a partner its route has let through (statistics: true): 400 naming a bad parameter. */
    public void forPartner(Exchange exchange) {
        String partner = exchange.getProperty(HubHeaders.PARTNER, String.class);
        Message in = exchange.getMessage();
        Request request = new Request(in.getHeader("period", String.class), in.getHeader("year", String.class),
                in.getHeader("from", String.class), in.getHeader("to", String.class), in.getHeader("groupBy", String.class),
                in.getHeader("format", String.class));
        PublishedReport published;
        try {
            published = read(request, partner, "partner");
        } catch (BadReportRequest e) {
            throw new IntakeRejectedException(Refusal.MALFORMED, "bad_report_request", e.getMessage());
        }
        PublishedReport.Document document = published.as(request.formatOrJson(), json);
        in.removeHeaders("*");
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        in.setHeader("Cache-Control", "no-store");
        in.setHeader(Exchange.CONTENT_TYPE, document.mediaType());
        // the printable page runs no script and loads nothing
        in.setHeader("Content-Security-Policy", ReportPage.POLICY);
        if (document.fileName() != null) {
            in.setHeader("Content-Disposition", "attachment; filename=\"" + document.fileName() + "\"");
        }
        in.setBody(document.body());
    }
}
