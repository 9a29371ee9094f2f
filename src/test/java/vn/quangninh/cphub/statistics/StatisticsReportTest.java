package vn.quangninh.cphub.statistics;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import org.openqa.selenium.By;
import org.openqa.selenium.Pdf;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.print.PrintOptions;

import vn.quangninh.cphub.Browser;
import vn.quangninh.cphub.HubTestSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The programme's report over a known set of reports, referrals, status updates, clocks, camera alerts, calls and
 * repeat reports in the two half-years of 2024, read over HTTP as the social-affairs department and as a console
 * user with the statistics role: every figure, the hidden small cells and their complements, the CSV, who may read
 * it, and that each read is recorded. The figures below are worked out by hand from the rows written here.
 */
class StatisticsReportTest extends HubTestSupport {

    private static final String SECRET = "social-affairs-dev-secret";

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ProgrammeMetrics metrics;
    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    /** Every id written, in the shared store once for all the tests here. */
    private static final List<String> ids = new ArrayList<>();

    /**
     * H1 2024: 7 calls to 111 from Ha Long (6 with signs of crime), 3 to 18001769 from Cam Pha, 12 hospital reports
     * from Ha Long, 2 camera reports from Uong Bi (the last at 23:59 on 29 June, local time). H2: 1 camera report at
     * 00:30 on 1 July local time (still 30 June in UTC) and 5 from agencies.
     */
    @BeforeEach
    void aKnownYear() {
        if (!ids.isEmpty()) {
            return;
        }
        List<String> hotline111 = facts(7, "2024-03-10T03:00:00Z", "hotline", "111", "Hạ Long", "Bãi Cháy", "violence", "6-10", "female", 6);
        facts(3, "2024-04-02T03:00:00Z", "hotline", "18001769", "Cẩm Phả", "Cẩm Trung", "neglect", "11-15", "male", 0);
        List<String> hospital = facts(12, "2024-05-20T03:00:00Z", "hospital", null, "Hạ Long", "Hồng Gai", "sexual_abuse", "0-5", "female", 0);
        facts(2, "2024-06-29T16:59:00Z", "cctv", null, "Uông Bí", null, "violence", "unknown", "unknown", 0);
        facts(1, "2024-06-30T17:30:00Z", "cctv", null, "Uông Bí", null, "violence", "unknown", "unknown", 0);
        facts(5, "2024-09-01T03:00:00Z", "partner", null, "Hạ Long", null, "other", "unknown", "unknown", 0);

        // police: 5 closed and 1 accepted, each with a case; 1 delivered. Delivered after 1..7 minutes, acknowledged
        // after 10..60, accepted after 100..600
        Instant reported = Instant.parse("2024-03-10T03:00:00Z");
        for (int i = 0; i < 7; i++) {
            String status = i < 5 ? "closed" : i == 5 ? "accepted" : "delivered";
            String referral = referral(hotline111.get(i), "police", status, i < 6 ? "CA-2024-" + i : null, reported);
            disclosed(referral, hotline111.get(i), "police", reported.plus(Duration.ofMinutes(i + 1)));
            if (i < 6) {
                statusUpdate(referral, "received", reported.plus(Duration.ofMinutes(10L * (i + 1))));
                statusUpdate(referral, "accepted", reported.plus(Duration.ofMinutes(100L * (i + 1))));
            }
            if (i < 5) {
                statusUpdate(referral, "closed", reported.plus(Duration.ofMinutes(1000)));
            }
            // the emergency clock: met by 5 (2 of them warned first), breached by 1, still running for 1
            clock(referral, hotline111.get(i), "police", "emergency", reported, i < 5 ? reported.plus(Duration.ofHours(2)) : i == 5
                    ? reported.plus(Duration.ofHours(13)) : null, i < 2, i == 5);
        }
        // social affairs: 6 accepted (after 30 minutes), 3 received (15), 2 declined (45), 1 delivered; 4 delivered
        // after 2 minutes; every forward clock met
        Instant fromHospital = Instant.parse("2024-05-20T03:00:00Z");
        for (int i = 0; i < 12; i++) {
            String status = i < 6 ? "accepted" : i < 9 ? "received" : i < 11 ? "declined" : "delivered";
            String referral = referral(hospital.get(i), "social-affairs", status, null, fromHospital);
            if (i < 4) {
                disclosed(referral, hospital.get(i), "social-affairs", fromHospital.plus(Duration.ofMinutes(2)));
            }
            if (!status.equals("delivered")) {
                statusUpdate(referral, status, fromHospital.plus(Duration.ofMinutes(i < 6 ? 30 : i < 9 ? 15 : 45)));
            }
            clock(referral, hospital.get(i), "social-affairs", "forward", fromHospital, fromHospital.plus(Duration.ofMinutes(5)), false, false);
        }
        // education: the 3 reports from Cam Pha, each received
        for (String incident : jdbc.queryForList("select incident_id from incident_fact where district = 'Cẩm Phả' and received_at < ?",
                String.class, Timestamp.from(Instant.parse("2025-01-01T00:00:00Z")))) {
            if (ids.contains(incident)) {
                referral(incident, "education", "received", null, Instant.parse("2024-04-02T03:00:00Z"));
            }
        }
        // camera alerts: at the school, 3 confirmed, 2 false, 1 pending; 5 false at a site sites.yaml does not know
        String[] school = {"confirmed", "confirmed", "confirmed", "false_alarm", "false_alarm", "pending"};
        for (String status : school) {
            cameraAlert("school-hongha-primary", status);
        }
        for (int i = 0; i < 5; i++) {
            cameraAlert("site-not-in-sites-yaml", "false_alarm");
        }
        // calls: 9 to 111 (8 answered), 6 to 18001769 (all answered)
        for (int i = 0; i < 15; i++) {
            call(i < 9 ? "111" : "18001769", i != 0);
        }
        // repeat reports about a child: one hotline report and five hospital reports follow an earlier report
        link("child", hotline111.get(0), "hotline", "2024-01-05T03:00:00Z");
        link("child", hotline111.get(1), "hotline", "2024-03-10T03:00:00Z");
        link("child2", UUID.randomUUID().toString(), "hospital", "2023-12-01T03:00:00Z");
        for (int i = 0; i < 5; i++) {
            link("child2", hospital.get(i), "hospital", "2024-05-20T03:00:00Z");
        }
        link("site", hospital.get(5), "hospital", "2024-05-21T03:00:00Z");
        link("site", hospital.get(6), "hospital", "2024-05-22T03:00:00Z");
    }

    @Test
    void theFirstHalfYearHasEveryFigureWithSmallCellsHidden() throws Exception {
        HttpResponse<String> response = asSocialAffairs("?period=H1&year=2024");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode report = json(response.body());
        assertThat(report.path("period").path("label").asText()).isEqualTo("H1 2024");
        assertThat(report.path("period").path("timeZone").asText()).isEqualTo("Asia/Ho_Chi_Minh");

        // the 2 camera reports of 29 June (local) are in H1; the one of 1 July (local, 30 June UTC) is not
        assertThat(rows(report, "reports")).containsExactly(List.of("all", "7", "<5", "0", "12", "<5", "0", "24"));
        // per month in the province's time zone, for the chart of reports over time
        assertThat(rows(report, "reportsByMonth")).containsExactly(
                List.of("2024-01", "0", "0", "0", "0", "0", "0", "0"),
                List.of("2024-02", "0", "0", "0", "0", "0", "0", "0"),
                List.of("2024-03", "7", "0", "0", "0", "0", "0", "7"),
                List.of("2024-04", "0", "<5", "0", "0", "0", "0", "<5"),
                List.of("2024-05", "0", "0", "0", "12", "0", "0", "12"),
                List.of("2024-06", "0", "0", "0", "0", "<5", "0", "<5"),
                List.of("total", "7", "<5", "0", "12", "<5", "0", "24"));
        // police's referrals are in their own section
        assertThat(rows(report, "referrals")).containsExactly(
                List.of("education", "<5", "0", "<5", "0", "0", "0"),
                List.of("social-affairs", "12", "<5", "<5", "6", "<5", "0"));
        // minutes from the report: police delivered after 1..7 (median 4, p90 7), acknowledged after 10..60, accepted
        // after 100..600; social affairs: 4 delivered (too few to show), 11 acknowledged, 6 accepted
        assertThat(rows(report, "timings")).containsExactly(
                List.of("education", "0", "null", "null", "0", "null", "null", "0", "null", "null"),
                List.of("police", "7", "4.0", "7.0", "6", "30.0", "60.0", "6", "300.0", "600.0"),
                List.of("social-affairs", "<5", "<5", "<5", "11", "30.0", "45.0", "6", "30.0", "30.0"));
        // every clock of config/clocks.yaml, started or not
        assertThat(rows(report, "clocks")).containsExactly(
                List.of("acknowledge", "0", "0", "0", "0", "0", "null", "null", "null"),
                List.of("emergency", "7", "5", "<5", "<5", "<5", "71.4", "x", "x"),
                List.of("forward", "12", "12", "0", "0", "0", "100.0", "0.0", "0.0"),
                List.of("plan", "0", "0", "0", "0", "0", "null", "null", "null"));
        // of the 6 with signs of crime, 6 accepted with a case and 5 closed
        assertThat(rows(report, "police")).containsExactly(
                List.of("police", "7", "<5", "0", "<5", "0", "5", "6", "6", "5", "71.4", "100.0", "83.3"));
        assertThat(rows(report, "indicators")).containsExactly(
                List.of("crimeReportsResolved", "5", "7", "71.4", ">95"),
                List.of("signsOfCrimeAccepted", "6", "6", "100.0", "100"));
        // one small false-alarm count at the school hides three more cells, so that none can be worked out
        assertThat(rows(report, "cameraAlerts")).containsExactly(
                List.of("school", "x", "<5", "<5", "<5"),
                List.of("unknown", "x", "0", "x", "0"),
                List.of("total", "11", "<5", "7", "<5"));
        assertThat(rows(report, "calls")).containsExactly(
                List.of("111", "9", "x", "<5"),
                List.of("18001769", "6", "6", "0"),
                List.of("total", "15", "x", "<5"));
        assertThat(rows(report, "linkedReports")).containsExactly(
                List.of("hospital", "x"), List.of("hotline_other", "<5"), List.of("total", "6"));

        // only counts and durations: no incident or referral id, no case id
        for (String id : ids) {
            assertThat(response.body()).doesNotContain(id);
        }
        assertThat(response.body()).doesNotContain("CA-2024");
    }

    @Test
    void theSecondHalfYearStartsAtMidnightInTheProvince() throws Exception {
        JsonNode report = json(asSocialAffairs("?period=H2&year=2024").body());
        // camera 1 (hidden) would be 6 − 5: the 5 agency reports are hidden with it
        assertThat(rows(report, "reports")).containsExactly(List.of("all", "0", "0", "0", "0", "<5", "x", "6"));
        JsonNode year = json(asSocialAffairs("?period=year&year=2024").body());
        assertThat(rows(year, "reports")).containsExactly(List.of("all", "7", "<5", "0", "12", "<5", "5", "30"));
        JsonNode custom = json(asSocialAffairs("?period=custom&from=2024-03-01&to=2024-03-31").body());
        assertThat(rows(custom, "reports")).containsExactly(List.of("all", "7", "0", "0", "0", "0", "0", "7"));
    }

    @Test
    void groupedByDistrictNoPlaceFinerThanACommuneAndATotalRow() throws Exception {
        JsonNode report = json(asSocialAffairs("?period=H1&year=2024&groupBy=district").body());
        assertThat(rows(report, "reports")).containsExactly(
                List.of("Cẩm Phả", "0", "<5", "0", "0", "0", "0", "<5"),
                List.of("Hạ Long", "7", "0", "0", "12", "0", "0", "19"),
                List.of("Uông Bí", "0", "0", "0", "0", "<5", "0", "<5"),
                List.of("total", "7", "<5", "0", "12", "<5", "0", "24"));
        JsonNode byAge = json(asSocialAffairs("?period=H1&year=2024&groupBy=ageGroup").body());
        assertThat(rows(byAge, "reports")).extracting(row -> row.get(0)).containsExactly("0-5", "11-15", "6-10", "unknown", "total");
    }

    @Test
    void theCsvHasOneTablePerSectionWithVietnameseHeadersAndEnglishKeys() throws Exception {
        HttpResponse<byte[]> csv = http.send(request("?period=H1&year=2024&format=csv", "social-affairs", SECRET),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/csv"));
        byte[] body = csv.body();
        assertThat(body).startsWith(0xEF, 0xBB, 0xBF);
        String text = new String(body, 3, body.length - 3, StandardCharsets.UTF_8);
        // a field with a comma is quoted
        assertThat(text).contains("\"Tin báo, tố giác tiếp nhận theo kênh\",reports\r\n"
                + "Nhóm,Tổng đài 111,Đường dây 18001769,Tổng đài khác,Bệnh viện,Camera,\"Cơ quan, đối tác\",Tổng\r\n"
                + "group,hotline_111,hotline_18001769,hotline_other,hospital,camera,agency,total\r\n"
                + "all,7,<5,0,12,<5,0,24\r\n\r\n");
        assertThat(text).contains("Chỉ tiêu của Kế hoạch,indicators\r\n")
                .contains("crimeReportsResolved,5,7,71.4,>95\r\n")
                .contains("school,x,<5,<5,<5\r\n");
        assertThat(text.split("\r\n\r\n")).as("a title block and ten sections").hasSize(11);
    }

    @Test
    void onlyStatisticsReadersMayReadItAndEveryReadIsRecorded() throws Exception {
        long before = reads("social-affairs");
        assertThat(asSocialAffairs("?period=H1&year=2024").statusCode()).isEqualTo(200);
        assertThat(reads("social-affairs")).isEqualTo(before + 1);
        assertThat(jdbc.queryForObject("select report from statistics_read where reader = 'social-affairs' order by id desc limit 1",
                String.class)).isEqualTo("programme H1 2024 json");

        HttpResponse<String> police = http.send(request("?period=H1&year=2024", "police", "police-dev-secret"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(police.statusCode()).isEqualTo(403);
        assertThat(json(police.body()).path("error").asText()).isEqualTo("not_a_statistics_reader");
        assertThat(http.send(request("", "social-affairs", "a-wrong-secret"), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(401);
        for (String[] bad : new String[][] {{"?period=Q3", "period is H1, H2, year or custom"},
                {"?period=custom&from=2024-01-01", "from and to"}, {"?period=H1&year=20x4", "year is a number"},
                {"?groupBy=address", "groupBy is one of"}, {"?format=pdf", "format is json, csv or html"},
                {"?period=custom&from=2024-02-01&to=2024-01-01", "to is before from"}}) {
            HttpResponse<String> refused = asSocialAffairs(bad[0]);
            assertThat(refused.statusCode()).as(bad[0]).isEqualTo(400);
            assertThat(json(refused.body()).path("error").asText()).isEqualTo("bad_report_request");
            assertThat(refused.body()).as(bad[0]).contains(bad[1]);
        }

        // the console: the statistics role reads it (recorded by name); a viewer does not
        long byUser = reads("statistics");
        HttpResponse<String> console = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/console/statistics/report?period=H1&year=2024")).header("Authorization", basic("statistics", "statistics-dev")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(console.statusCode()).isEqualTo(200);
        assertThat(rows(json(console.body()), "reports")).containsExactly(List.of("all", "7", "<5", "0", "12", "<5", "0", "24"));
        assertThat(reads("statistics")).isEqualTo(byUser + 1);
        assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/console/statistics/report"))
                .header("Authorization", basic("viewer", "viewer-dev")).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(403);
    }

    @Test
    void thePrintableReportShowsItsChartsInABrowserAndPrints() throws Exception {
        String base = "http://127.0.0.1:" + port;
        try (Browser browser = new Browser()) {
            // the report's address first: the console's login, then back to the report
            browser.driver().get(base + "/console/statistics/report?period=H1&year=2024&format=html");
            browser.submitLogin("statistics", "statistics-dev");
            browser.waitForText("Báo cáo chỉ số bảo vệ trẻ em — H1 2024");
            // reports over time: March (7 calls to 111) and May (12 hospital reports) are drawn; April's and June's
            // small counts are not, and the page says so
            List<WebElement> bars = browser.driver().findElements(By.cssSelector("#chart-reports-over-time rect"));
            assertThat(bars).extracting(bar -> bar.findElement(By.tagName("title")).getAttribute("textContent"))
                    .containsExactlyInAnyOrder("2024-03 · Tổng đài 111: 7", "2024-05 · Bệnh viện: 12");
            assertThat(browser.pageText()).contains("Không vẽ (số nhỏ, ẩn): 2024-04 Đường dây 18001769; 2024-06 Camera");
            // clock compliance: the forward clock all met, the emergency clock's met part drawn, 71.4 % met
            assertThat(browser.driver().findElements(By.cssSelector("#chart-clock-compliance rect"))).hasSize(2);
            assertThat(browser.driver().findElement(By.id("chart-clock-compliance")).getText()).contains("71.4 %").contains("100.0 %");
            // the two targets as gauges
            String targets = browser.driver().findElement(By.id("chart-targets")).getText();
            assertThat(targets).contains("71.4%").contains("5 / 7 · mục tiêu >95%").contains("100.0%").contains("6 / 6 · mục tiêu 100%");
            // the tables: the same published figures as the JSON
            assertThat(browser.driver().findElement(By.id("cameraAlerts")).getText()).isEqualTo("Cảnh báo camera theo loại địa điểm");
            assertThat(browser.pageText()).contains("school x <5 <5 <5").doesNotContain("CA-2024");
            browser.driver().manage().window().setSize(new org.openqa.selenium.Dimension(1400, 2600));
            browser.screenshot("statistics-report-H1-2024");
            // printed as the browser prints it (A4, its own @page margins)
            Pdf pdf = ((org.openqa.selenium.PrintsPage) browser.driver()).print(new PrintOptions());
            byte[] printed = Base64.getDecoder().decode(pdf.getContent());
            Path file = Path.of("target", "browser", "statistics-report-H1-2024.pdf");
            Files.write(file, printed);
            assertThat(new String(printed, 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
        }
        // signing in with no page asked for first: a statistics-only user lands on the report, not on Hawtio's 403
        try (Browser browser = new Browser()) {
            browser.driver().get(base + "/login");
            browser.submitLogin("statistics", "statistics-dev");
            browser.waitForText("Báo cáo chỉ số bảo vệ trẻ em");
            assertThat(browser.driver().getCurrentUrl()).endsWith("/console/statistics/report?format=html");
        }
    }

    @Test
    void theHeadlineFiguresAreGaugesForGrafanaHiddenOnesAsNaN() throws Exception {
        // the gauges follow the current half-year; here they are set to H1 2024 to know every figure
        metrics.publish(ReportPeriod.of("H1", "2024", null, null, java.time.ZoneId.of("Asia/Ho_Chi_Minh"), java.time.LocalDate.now()));
        // the hub's meter registry, what /actuator/prometheus shows (a test context does not export it)
        assertThat(gauge("cphub.programme.reports", "channel", "hotline_111")).isEqualTo(7.0);
        assertThat(gauge("cphub.programme.reports", "channel", "hotline_18001769")).as("3: hidden").isNaN();
        assertThat(gauge("cphub.programme.reports", "channel", "hospital")).isEqualTo(12.0);
        assertThat(gauge("cphub.programme.reports", "channel", "total")).isEqualTo(24.0);
        assertThat(gauge("cphub.programme.indicator.percent", "indicator", "crimeReportsResolved")).isEqualTo(71.4);
        assertThat(gauge("cphub.programme.indicator.percent", "indicator", "signsOfCrimeAccepted")).isEqualTo(100.0);
        assertThat(gauge("cphub.programme.indicator.target.percent", "indicator", "crimeReportsResolved")).isEqualTo(95.0);
        assertThat(gauge("cphub.programme.clock.met.percent", "clock", "emergency")).isEqualTo(71.4);
        assertThat(gauge("cphub.programme.clock.met.percent", "clock", "forward")).isEqualTo(100.0);
    }

    private double gauge(String name, String tag, String value) {
        io.micrometer.core.instrument.Gauge gauge = meters.find(name).tag(tag, value).gauge();
        assertThat(gauge).as(name + "{" + tag + "=" + value + "}").isNotNull();
        return gauge.value();
    }

    @Test
    void triageKeepsAReportsFactsWithoutThePerson() throws Exception {
        String eventId = newEventId();
        assertThat(postIncident(incident(eventId)).statusCode()).isEqualTo(202);
        String incidentId = vn.quangninh.cphub.incident.Incident.idFor("hotline-crm", eventId).toString();
        await().atMost(Duration.ofSeconds(20)).until(() ->
                jdbc.queryForObject("select count(*) from incident_fact where incident_id = ?", Long.class, incidentId) == 1);
        var fact = jdbc.queryForMap("select * from incident_fact where incident_id = ?", incidentId);
        assertThat(fact.get("CHANNEL")).isEqualTo("hotline");
        assertThat(fact.get("LINE")).isEqualTo("111");
        assertThat(fact.get("DISTRICT")).isEqualTo("Ha Long");
        assertThat(fact.get("COMMUNE")).isEqualTo("Hong Gai");
        assertThat(fact.get("CATEGORY")).isEqualTo("violence");
        assertThat(fact.get("SIGNS_OF_CRIME")).isEqualTo(true);
        // born 2016-03-01, on 2026-11-28: 10
        assertThat(fact.get("AGE_GROUP")).isEqualTo("6-10");
        assertThat(fact.get("SEX")).isEqualTo("female");
        assertThat(fact.values().toString()).doesNotContain("Synthetic").doesNotContain("2016-03-01")
                .doesNotContain("0900000001").doesNotContain("12 Synthetic Street");
    }

    // --- the known data ---

    private List<String> facts(int n, String receivedAt, String channel, String line, String district, String commune,
                               String category, String ageGroup, String sex, int withSignsOfCrime) {
        List<String> made = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = UUID.randomUUID().toString();
            jdbc.update("insert into incident_fact (incident_id, received_at, channel, line, source_system, category, priority,"
                            + " signs_of_crime, district, commune, site_kind, age_group, sex) values (?, ?, ?, ?, ?, ?, 2, ?, ?, ?, ?, ?, ?)",
                    id, Timestamp.from(Instant.parse(receivedAt)), channel, line, "synthetic-" + channel, category,
                    i < withSignsOfCrime, district, commune, channel.equals("cctv") ? "school" : null, ageGroup, sex);
            made.add(id);
            ids.add(id);
        }
        return made;
    }

    private String referral(String incidentId, String partner, String status, String caseId, Instant at) {
        String id = UUID.randomUUID().toString();
        jdbc.update("insert into referral (referral_id, incident_id, partner_id, origin_partner_id, rule_name, profile,"
                        + " disclosed_groups, legal_basis, priority, status, partner_case_id, created_at, updated_at)"
                        + " values (?, ?, ?, 'synthetic', 'statistics-test', 'full', 'incident', 'statutory_duty', 2, ?, ?, ?, ?)",
                id, incidentId, partner, status, caseId, Timestamp.from(at.plusSeconds(5)), Timestamp.from(at.plusSeconds(5)));
        ids.add(id);
        return id;
    }

    private void disclosed(String referralId, String incidentId, String partner, Instant at) {
        jdbc.update("insert into disclosure (referral_id, incident_id, partner_id, profile, disclosed_groups, withheld_groups,"
                + " legal_basis, rule_name, disclosed_at) values (?, ?, ?, 'full', 'incident', '', 'statutory_duty', 'statistics-test', ?)",
                referralId, incidentId, partner, Timestamp.from(at));
    }

    private void statusUpdate(String referralId, String status, Instant at) {
        jdbc.update("insert into referral_status_update (referral_id, status, reported_by, recorded_at) values (?, ?, 'synthetic', ?)",
                referralId, status, Timestamp.from(at));
    }

    /** A clock started at {@code started}; a running one's deadline is far ahead, so the hub's clock scan leaves it be. */
    private void clock(String referralId, String incidentId, String partner, String name, Instant started, Instant stopped,
                       boolean warned, boolean breached) {
        Instant deadline = stopped == null ? Instant.parse("2099-01-01T00:00:00Z") : started.plus(Duration.ofHours(12));
        jdbc.update("insert into referral_clock (referral_id, clock, incident_id, partner_id, stops_on, started_at, warn_at, deadline,"
                        + " stopped_at, stopped_by, warned_at, breached_at) values (?, ?, ?, ?, 'accepted', ?, ?, ?, ?, ?, ?, ?)",
                referralId, name, incidentId, partner, Timestamp.from(started), Timestamp.from(deadline.minus(Duration.ofHours(2))),
                Timestamp.from(deadline), stopped == null ? null : Timestamp.from(stopped), stopped == null ? null : "accepted",
                warned ? Timestamp.from(started.plus(Duration.ofHours(1))) : null,
                breached ? Timestamp.from(deadline) : null);
    }

    private void cameraAlert(String siteId, String status) {
        Timestamp at = Timestamp.from(Instant.parse("2024-02-14T02:00:00Z"));
        jdbc.update("insert into camera_alert (alert_id, site_id, device_id, status, episode, created_at, updated_at)"
                + " values (?, ?, 'synthetic-camera', ?, '{}', ?, ?)", UUID.randomUUID().toString(), siteId, status, at, at);
    }

    private void call(String line, boolean answered) {
        Timestamp at = Timestamp.from(Instant.parse("2024-02-20T01:00:00Z"));
        jdbc.update("insert into call_record (call_id, line, started_at, answered_at, caller_withheld, updated_at) values (?, ?, ?, ?, true, ?)",
                "statistics-" + UUID.randomUUID() + "@pbx", line, at, answered ? at : null, at);
    }

    private void link(String key, String incidentId, String channel, String seenAt) {
        String linkKey = key.equals("site") ? "site-" + getClass().getSimpleName() : key + "-" + getClass().getSimpleName();
        jdbc.update("insert into incident_link_key (link_key, incident_id, kind, channel, category, seen_at) values (?, ?, ?, ?, 'violence', ?)",
                linkKey, incidentId, key.equals("site") ? "site" : "child", channel, Timestamp.from(Instant.parse(seenAt)));
    }

    // --- reading it ---

    private HttpResponse<String> asSocialAffairs(String query) throws Exception {
        return http.send(request(query, "social-affairs", SECRET), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String query, String partner, String secret) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/statistics/report" + query))
                .header("Authorization", basic(partner, secret)).GET().build();
    }

    private static String basic(String user, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    private long reads(String reader) {
        return jdbc.queryForObject("select count(*) from statistics_read where reader = ?", Long.class, reader);
    }

    /** A section's rows, each cell as text in column order ("null" for an empty cell). */
    private static List<List<String>> rows(JsonNode report, String section) {
        for (JsonNode s : report.path("sections")) {
            if (s.path("key").asText().equals(section)) {
                List<List<String>> rows = new ArrayList<>();
                for (JsonNode row : s.path("rows")) {
                    List<String> cells = new ArrayList<>();
                    for (JsonNode column : s.path("columns")) {
                        cells.add(row.path(column.path("key").asText()).isNull() ? "null" : row.path(column.path("key").asText()).asText());
                    }
                    rows.add(cells);
                }
                return rows;
            }
        }
        throw new AssertionError("no section " + section + " in " + report);
    }
}
