package vn.quangninh.cphub.statistics;

import java.security.Principal;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /console/statistics/report}: the programme's report for a console user with the role {@code statistics}
 * (SecurityConfiguration), as JSON, CSV or a printable page (format=html); the same parameters as the partners' {@code /api/v1/statistics/report}.
 * Every read is recorded with the user's name. Never cached.
 */
@RestController
public class StatisticsConsoleController {

    private final StatisticsReport report;
    private final ObjectMapper json;

    public StatisticsConsoleController(StatisticsReport report, ObjectMapper json) {
        this.report = report;
        this.json = json;
    }

    @GetMapping("/console/statistics/report")
    public ResponseEntity<?> report(@RequestParam(required = false) String period, @RequestParam(required = false) String year,
                                    @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                                    @RequestParam(required = false) String groupBy, @RequestParam(required = false) String format,
                                    Principal user) {
        StatisticsReport.Request request = new StatisticsReport.Request(period, year, from, to, groupBy, format);
        PublishedReport published;
        try {
            published = report.read(request, user.getName(), "console");
        } catch (BadReportRequest e) {
            return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_JSON)
                    .body(json.createObjectNode().put("error", "bad_report_request").put("message", e.getMessage()).toString());
        }
        PublishedReport.Document document = published.as(request.formatOrJson(), json);
        ResponseEntity.BodyBuilder answer = ResponseEntity.ok().cacheControl(CacheControl.noStore())
                .contentType(MediaType.parseMediaType(document.mediaType()))
                // the printable page runs no script and loads nothing
                .header("Content-Security-Policy", ReportPage.POLICY);
        if (document.fileName() != null) {
            answer.header("Content-Disposition", "attachment; filename=\"" + document.fileName() + "\"");
        }
        return answer.body(document.body());
    }
}
