package vn.quangninh.cphub.statistics;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import vn.quangninh.cphub.clock.ClockPolicy;
import vn.quangninh.cphub.hotline.CallRecords;
import vn.quangninh.cphub.site.Site;
import vn.quangninh.cphub.site.SiteRegistry;

/**
 * The programme's indicators for one period, from the hub's own store: the reports received (incident_fact), the
 * referrals and their statuses, the times to forward, acknowledge and accept (referral, disclosure,
 * referral_status_update), the Decree 56 clocks (referral_clock), the police indicators of the provincial plan,
 * camera alerts (camera_alert), calls (call_record) and repeat reports (incident_link_key). Counts and durations
 * only: rows are labelled by channel, recipient agency, clock, site kind, line, or a coarse dimension of
 * {@code groupBy}; never by an id, a person or a place finer than a commune. Small cells are hidden when the report is
 * published ({@link SmallCells}), not here.
 *
 * <p>Two sections read one row per report or referral of the period (months in the hub's time zone, percentiles of
 * times). They read them as a stream ({@link #ROWS_PER_FETCH} at a time, in one read-only transaction: PostgreSQL's
 * driver streams a result only so), never the period's rows all at once: with a million referrals waiting, the
 * programme's gauges ({@link ProgrammeMetrics}, every 5 minutes and at start) held them all and ran a 512 MB heap out
 * (bench/RESULTS.md, "A backlog of 1,000,000 on PostgreSQL, again").
 */
@Component
public class ProgrammeReport {

    /** What a report can be grouped by, and the incident_fact column (or expression) each reads. */
    public static final Map<String, String> GROUP_BY = Collections.unmodifiableMap(new LinkedHashMap<>(Map.of(
            "district", "coalesce(f.district, 'unknown')",
            "commune", "coalesce(f.district, 'unknown') || ' / ' || coalesce(f.commune, 'unknown')",
            "channel", "f.channel",
            "category", "coalesce(f.category, 'unknown')",
            "ageGroup", "coalesce(f.age_group, 'unknown')",
            "sex", "coalesce(f.sex, 'unknown')",
            "siteKind", "coalesce(f.site_kind, 'none')",
            "partner", "coalesce(f.source_system, 'unknown')")));

    private static final String[] CHANNELS = {"hotline_111", "hotline_18001769", "hotline_other", "hospital", "camera", "agency"};

    /** Rows a streamed query takes from the store at a time. */
    static final int ROWS_PER_FETCH = 1000;

    private final JdbcTemplate jdbc;
    /** the same store, for the queries that read a row per report or referral: they stream */
    private final JdbcTemplate streamed;
    private final TransactionTemplate reading;
    private final CallRecords calls;
    private final SiteRegistry sites;
    private final ClockPolicy clockPolicy;
    private final String police;

    public ProgrammeReport(JdbcTemplate jdbc, PlatformTransactionManager transactions, CallRecords calls, SiteRegistry sites,
                           ClockPolicy clockPolicy, @Value("${cphub.statistics.police-partner:police}") String police) {
        this.jdbc = jdbc;
        this.streamed = new JdbcTemplate(jdbc.getDataSource());
        this.streamed.setFetchSize(ROWS_PER_FETCH);
        this.reading = new TransactionTemplate(transactions);
        this.reading.setReadOnly(true);
        this.clockPolicy = clockPolicy;
        this.calls = calls;
        this.sites = sites;
        this.police = police;
    }

    /** The report's sections, in the order a reader meets them. */
    public List<ReportTable> build(ReportPeriod period, String groupBy) {
        String group = groupBy == null ? null : GROUP_BY.get(groupBy);
        if (groupBy != null && group == null) {
            throw new BadReportRequest("groupBy is one of " + String.join(", ", GROUP_BY.keySet()));
        }
        return reading.execute(status -> sections(period, groupBy, group));
    }

    private List<ReportTable> sections(ReportPeriod period, String groupBy, String group) {
        Timestamp from = Timestamp.from(period.start());
        Timestamp to = Timestamp.from(period.end());
        List<ReportTable> sections = new ArrayList<>();
        sections.add(reports(from, to, groupBy, group));
        sections.add(reportsByMonth(from, to, period.zone()));
        sections.add(referrals(from, to, groupBy, group));
        sections.add(timings(from, to));
        sections.add(clocks(from, to));
        PoliceCounts counts = policeCounts(from, to);
        sections.add(police(counts));
        sections.add(indicators(counts));
        sections.add(cameraAlerts(from, to));
        sections.add(calls(period));
        sections.add(linked(from, to));
        return sections;
    }

    /** Reports received, by channel (the hotline by line), per group. */
    private ReportTable reports(Timestamp from, Timestamp to, String groupBy, String group) {
        ReportTable table = new ReportTable("reports", "Tin báo, tố giác tiếp nhận theo kênh").label(groupKey(groupBy), "Nhóm");
        table.count("hotline_111", "Tổng đài 111").count("hotline_18001769", "Đường dây 18001769")
                .count("hotline_other", "Tổng đài khác").count("hospital", "Bệnh viện").count("camera", "Camera")
                .count("agency", "Cơ quan, đối tác").count("total", "Tổng").partition("total", CHANNELS);
        Map<String, Map<String, Object>> rows = new TreeMap<>();
        jdbc.query("select " + (group == null ? "'all'" : group) + " as grp, f.channel, f.line, count(*) as n from incident_fact f"
                + " where f.received_at >= ? and f.received_at < ? group by " + (group == null ? "" : group + ", ") + "f.channel, f.line",
                (ResultSet rs) -> {
                    Map<String, Object> row = rows.computeIfAbsent(rs.getString("grp"), g -> emptyRow(groupKey(groupBy), g, CHANNELS));
                    add(row, channel(rs.getString("channel"), rs.getString("line")), rs.getLong("n"));
                    add(row, "total", rs.getLong("n"));
                }, from, to);
        if (rows.isEmpty()) {
            rows.put("all", emptyRow(groupKey(groupBy), "all", CHANNELS));
        }
        rows.values().forEach(table::row);
        // the year's (or half-year's) figures per channel are the monthly table's total row too
        for (String column : CHANNELS) {
            table.sameAs(groupBy == null ? "all" : "total", column, "reportsByMonth", "total", column);
        }
        table.sameAs(groupBy == null ? "all" : "total", "total", "reportsByMonth", "total", "total");
        return groupBy == null ? table : table.withTotalRow();
    }

    /** Reports received per month (in the province's time zone) and channel: the chart of reports over time. */
    private ReportTable reportsByMonth(Timestamp from, Timestamp to, java.time.ZoneId zone) {
        ReportTable table = new ReportTable("reportsByMonth", "Tin báo, tố giác theo tháng").label("month", "Tháng")
                .count("hotline_111", "Tổng đài 111").count("hotline_18001769", "Đường dây 18001769")
                .count("hotline_other", "Tổng đài khác").count("hospital", "Bệnh viện").count("camera", "Camera")
                .count("agency", "Cơ quan, đối tác").count("total", "Tổng").partition("total", CHANNELS).withTotalRow();
        Map<String, Map<String, Object>> rows = new TreeMap<>();
        for (java.time.YearMonth month = java.time.YearMonth.from(from.toInstant().atZone(zone));
             !month.atDay(1).atStartOfDay(zone).toInstant().isAfter(to.toInstant().minusNanos(1)); month = month.plusMonths(1)) {
            rows.put(month.toString(), emptyRow("month", month.toString(), CHANNELS));
        }
        streamed.query("select f.received_at, f.channel, f.line from incident_fact f where f.received_at >= ? and f.received_at < ?",
                (ResultSet rs) -> {
                    String month = java.time.YearMonth.from(rs.getTimestamp("received_at").toInstant().atZone(zone)).toString();
                    Map<String, Object> row = rows.computeIfAbsent(month, m -> emptyRow("month", m, CHANNELS));
                    add(row, channel(rs.getString("channel"), rs.getString("line")), 1);
                    add(row, "total", 1);
                }, from, to);
        rows.values().forEach(table::row);
        return table;
    }

    /**
     * Referrals per recipient agency and where they stand now; police's are in their own section (with the figures of
     * the plan's targets), so that no police figure is published twice under different protection.
     */
    private ReportTable referrals(Timestamp from, Timestamp to, String groupBy, String group) {
        String[] statuses = {"awaiting", "received", "accepted", "declined", "closed"};
        ReportTable table = new ReportTable("referrals", "Chuyển gửi theo cơ quan tiếp nhận và tình trạng");
        if (group != null) {
            table.label(groupKey(groupBy), "Nhóm");
        }
        table.label("recipient", "Cơ quan tiếp nhận").count("referrals", "Số chuyển gửi")
                .count("awaiting", "Chưa xác nhận").count("received", "Đã nhận").count("accepted", "Đã thụ lý")
                .count("declined", "Từ chối").count("closed", "Đã kết thúc").partition("referrals", statuses);
        Map<String, Map<String, Object>> rows = new TreeMap<>();
        jdbc.query("select " + (group == null ? "'all'" : group) + " as grp, r.partner_id, r.status, count(*) as n"
                + " from referral r left join incident_fact f on f.incident_id = r.incident_id"
                + " where r.created_at >= ? and r.created_at < ? and r.partner_id <> ? group by " + (group == null ? "" : group + ", ")
                + "r.partner_id, r.status",
                (ResultSet rs) -> {
                    String grp = rs.getString("grp");
                    String recipient = rs.getString("partner_id");
                    Map<String, Object> row = rows.computeIfAbsent(grp + "\u0000" + recipient, k -> {
                        Map<String, Object> r = emptyRow("recipient", recipient, statuses);
                        if (group != null) {
                            Map<String, Object> withGroup = new LinkedHashMap<>();
                            withGroup.put(groupKey(groupBy), grp);
                            withGroup.putAll(r);
                            return withGroup;
                        }
                        return r;
                    });
                    String status = rs.getString("status");
                    add(row, status.equals("routed") || status.equals("delivered") ? "awaiting" : status, rs.getLong("n"));
                    add(row, "referrals", rs.getLong("n"));
                }, from, to, police);
        rows.values().forEach(table::row);
        return table;
    }

    /** Median and 90th percentile, in minutes, from the report's receipt to the referral's delivery, acknowledgement and acceptance. */
    private ReportTable timings(Timestamp from, Timestamp to) {
        ReportTable table = new ReportTable("timings", "Thời gian chuyển gửi, xác nhận và thụ lý (phút, từ khi tiếp nhận tin báo)")
                .label("recipient", "Cơ quan tiếp nhận")
                .count("forwarded", "Số đã chuyển").minutes("forwardMedian", "Chuyển gửi: trung vị", "forwarded")
                .minutes("forwardP90", "Chuyển gửi: phân vị 90", "forwarded")
                .count("acknowledged", "Số đã xác nhận").minutes("acknowledgeMedian", "Xác nhận: trung vị", "acknowledged")
                .minutes("acknowledgeP90", "Xác nhận: phân vị 90", "acknowledged")
                .count("accepted", "Số đã thụ lý").minutes("acceptMedian", "Thụ lý: trung vị", "accepted")
                .minutes("acceptP90", "Thụ lý: phân vị 90", "accepted");
        Map<String, List<List<Double>>> byRecipient = new TreeMap<>();
        streamed.query("select r.partner_id, coalesce(f.received_at, r.created_at) as started, d.at as delivered, a.at as acknowledged,"
                + " c.at as accepted from referral r left join incident_fact f on f.incident_id = r.incident_id"
                + " left join (select referral_id, min(disclosed_at) as at from disclosure group by referral_id) d on d.referral_id = r.referral_id"
                + " left join (select referral_id, min(recorded_at) as at from referral_status_update group by referral_id) a on a.referral_id = r.referral_id"
                + " left join (select referral_id, min(recorded_at) as at from referral_status_update where status = 'accepted' group by referral_id) c"
                + " on c.referral_id = r.referral_id where r.created_at >= ? and r.created_at < ?",
                (ResultSet rs) -> {
                    List<List<Double>> lists = byRecipient.computeIfAbsent(rs.getString("partner_id"),
                            k -> List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>()));
                    Instant started = instant(rs, "started");
                    minutes(started, instant(rs, "delivered"), lists.get(0));
                    minutes(started, instant(rs, "acknowledged"), lists.get(1));
                    minutes(started, instant(rs, "accepted"), lists.get(2));
                }, from, to);
        byRecipient.forEach((recipient, lists) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("recipient", recipient);
            String[][] keys = {{"forwarded", "forwardMedian", "forwardP90"}, {"acknowledged", "acknowledgeMedian", "acknowledgeP90"},
                    {"accepted", "acceptMedian", "acceptP90"}};
            for (int i = 0; i < 3; i++) {
                List<Double> values = lists.get(i);
                Collections.sort(values);
                row.put(keys[i][0], (long) values.size());
                row.put(keys[i][1], percentile(values, 50));
                row.put(keys[i][2], percentile(values, 90));
            }
            table.row(row);
        });
        return table;
    }

    /**
     * Each Decree 56 clock of config/clocks.yaml (and any other found started in the period): met in time, breached,
     * still running; and how many were escalated.
     */
    private ReportTable clocks(Timestamp from, Timestamp to) {
        ReportTable table = new ReportTable("clocks", "Thời hạn theo Nghị định 56/2017")
                .label("clock", "Thời hạn").count("started", "Số đã tính").count("met", "Đúng hạn").count("breached", "Quá hạn")
                .count("running", "Đang tính").count("escalated", "Đã nhắc, báo cáo lên")
                .share("metShare", "Tỷ lệ đúng hạn (%)", "met", "started")
                .share("breachedShare", "Tỷ lệ quá hạn (%)", "breached", "started")
                .share("escalatedShare", "Tỷ lệ đã nhắc (%)", "escalated", "started")
                .partition("started", "met", "breached", "running");
        String[] counts = {"started", "met", "breached", "running", "escalated"};
        Map<String, Map<String, Object>> rows = new TreeMap<>();
        clockPolicy.names().forEach(name -> rows.put(name, emptyRow("clock", name, counts)));
        jdbc.query("select clock, count(*) as started,"
                + " sum(case when breached_at is null and stopped_at is not null and stopped_at <= deadline then 1 else 0 end) as met,"
                + " sum(case when breached_at is not null or stopped_at > deadline then 1 else 0 end) as breached,"
                + " sum(case when breached_at is null and stopped_at is null then 1 else 0 end) as running,"
                + " sum(case when warned_at is not null then 1 else 0 end) as escalated"
                + " from referral_clock where started_at >= ? and started_at < ? group by clock",
                (ResultSet rs) -> {
                    Map<String, Object> row = rows.computeIfAbsent(rs.getString("clock"), name -> emptyRow("clock", name, counts));
                    for (String key : counts) {
                        row.put(key, rs.getLong(key));
                    }
                }, from, to);
        rows.values().forEach(table::row);
        return table;
    }

    /** The police's referrals: how many, where they stand, with signs of crime, and of those accepted with a case. */
    private PoliceCounts policeCounts(Timestamp from, Timestamp to) {
        return jdbc.query("select count(*) as referrals,"
                + " sum(case when r.status in ('routed', 'delivered') then 1 else 0 end) as awaiting,"
                + " sum(case when r.status = 'received' then 1 else 0 end) as received,"
                + " sum(case when r.status = 'accepted' then 1 else 0 end) as accepted,"
                + " sum(case when r.status = 'declined' then 1 else 0 end) as declined,"
                + " sum(case when r.status = 'closed' then 1 else 0 end) as closed,"
                + " sum(case when f.signs_of_crime then 1 else 0 end) as crime,"
                + " sum(case when f.signs_of_crime and r.partner_case_id is not null and r.status in ('accepted', 'closed') then 1 else 0 end) as crime_accepted,"
                + " sum(case when f.signs_of_crime and r.status = 'closed' then 1 else 0 end) as crime_closed"
                + " from referral r left join incident_fact f on f.incident_id = r.incident_id"
                + " where r.partner_id = ? and r.created_at >= ? and r.created_at < ?",
                rs -> {
                    rs.next();
                    return new PoliceCounts(rs.getLong("referrals"), rs.getLong("awaiting"), rs.getLong("received"),
                            rs.getLong("accepted"), rs.getLong("declined"), rs.getLong("closed"), rs.getLong("crime"),
                            rs.getLong("crime_accepted"), rs.getLong("crime_closed"));
                }, police, from, to);
    }

    private record PoliceCounts(long referrals, long awaiting, long received, long accepted, long declined, long closed,
                                long crime, long crimeAccepted, long crimeClosed) {
    }

    private ReportTable police(PoliceCounts counts) {
        ReportTable table = new ReportTable("police", "Chuyển gửi cơ quan công an")
                .label("recipient", "Cơ quan").count("referrals", "Số chuyển gửi").count("awaiting", "Chưa xác nhận")
                .count("received", "Đã nhận").count("accepted", "Đã thụ lý").count("declined", "Từ chối")
                .count("closed", "Đã giải quyết xong").count("signsOfCrime", "Có dấu hiệu tội phạm")
                .count("signsOfCrimeAccepted", "Có dấu hiệu tội phạm, đã thụ lý (có số vụ việc)")
                .count("signsOfCrimeClosed", "Có dấu hiệu tội phạm, đã giải quyết xong")
                .share("closedShare", "Tỷ lệ giải quyết (%)", "closed", "referrals")
                .share("signsOfCrimeAcceptedShare", "Có dấu hiệu tội phạm: tỷ lệ thụ lý (%)", "signsOfCrimeAccepted", "signsOfCrime")
                .share("signsOfCrimeClosedShare", "Có dấu hiệu tội phạm: tỷ lệ giải quyết (%)", "signsOfCrimeClosed", "signsOfCrime")
                .partition("referrals", "awaiting", "received", "accepted", "declined", "closed");
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("recipient", police);
        row.put("referrals", counts.referrals());
        row.put("awaiting", counts.awaiting());
        row.put("received", counts.received());
        row.put("accepted", counts.accepted());
        row.put("declined", counts.declined());
        row.put("closed", counts.closed());
        row.put("signsOfCrime", counts.crime());
        row.put("signsOfCrimeAccepted", counts.crimeAccepted());
        row.put("signsOfCrimeClosed", counts.crimeClosed());
        return table.row(row);
    }

    /**
     * The provincial plan's two targets, with their denominators: the police section's own figures, hidden there
     * and here alike.
     */
    private ReportTable indicators(PoliceCounts counts) {
        ReportTable table = new ReportTable("indicators", "Chỉ tiêu của Kế hoạch")
                .label("indicator", "Chỉ tiêu").count("numerator", "Tử số").count("denominator", "Mẫu số")
                .share("share", "Tỷ lệ (%)", "numerator", "denominator").label("target", "Mục tiêu (%)")
                .sameAs("crimeReportsResolved", "numerator", "police", police, "closed")
                .sameAs("crimeReportsResolved", "denominator", "police", police, "referrals")
                .sameAs("signsOfCrimeAccepted", "numerator", "police", police, "signsOfCrimeAccepted")
                .sameAs("signsOfCrimeAccepted", "denominator", "police", police, "signsOfCrime");
        Map<String, Object> resolved = new LinkedHashMap<>();
        resolved.put("indicator", "crimeReportsResolved");
        resolved.put("numerator", counts.closed());
        resolved.put("denominator", counts.referrals());
        resolved.put("target", ">95");
        Map<String, Object> prosecuted = new LinkedHashMap<>();
        prosecuted.put("indicator", "signsOfCrimeAccepted");
        prosecuted.put("numerator", counts.crimeAccepted());
        prosecuted.put("denominator", counts.crime());
        prosecuted.put("target", "100");
        return table.row(resolved).row(prosecuted);
    }

    /** Camera alerts per kind of site: confirmed, false alarms, not yet decided. */
    private ReportTable cameraAlerts(Timestamp from, Timestamp to) {
        String[] outcomes = {"confirmed", "falseAlarm", "undecided"};
        ReportTable table = new ReportTable("cameraAlerts", "Cảnh báo camera theo loại địa điểm")
                .label("siteKind", "Loại địa điểm").count("alerts", "Số cảnh báo").count("confirmed", "Xác nhận")
                .count("falseAlarm", "Báo động giả").count("undecided", "Chưa xác minh")
                .partition("alerts", outcomes).withTotalRow();
        Map<String, Map<String, Object>> rows = new TreeMap<>();
        jdbc.query("select site_id, status, count(*) as n from camera_alert where created_at >= ? and created_at < ? group by site_id, status",
                (ResultSet rs) -> {
                    String kind = sites.site(rs.getString("site_id")).map(Site::kind).orElse("unknown");
                    Map<String, Object> row = rows.computeIfAbsent(kind, k -> emptyRow("siteKind", k, outcomes));
                    String status = rs.getString("status");
                    add(row, status.equals("confirmed") ? "confirmed" : status.equals("false_alarm") ? "falseAlarm" : "undecided", rs.getLong("n"));
                    add(row, "alerts", rs.getLong("n"));
                }, from, to);
        rows.values().forEach(table::row);
        return table;
    }

    /** Calls to each hotline line, and how many were answered. */
    private ReportTable calls(ReportPeriod period) {
        ReportTable table = new ReportTable("calls", "Cuộc gọi đến tổng đài").label("line", "Đường dây")
                .count("calls", "Cuộc gọi").count("answered", "Đã trả lời").count("unanswered", "Không trả lời")
                .partition("calls", "answered", "unanswered").withTotalRow();
        calls.countsPerLine(period.start(), period.end()).forEach((line, count) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("line", line);
            row.put("calls", count.calls());
            row.put("answered", count.answered());
            row.put("unanswered", count.calls() - count.answered());
            table.row(row);
        });
        return table;
    }

    /** Reports in the period about a child the hub had a report about before (linked by the same child's keys). */
    private ReportTable linked(Timestamp from, Timestamp to) {
        ReportTable table = new ReportTable("linkedReports", "Tin báo lặp lại về cùng một trẻ").label("channel", "Kênh")
                .count("reports", "Số tin báo").withTotalRow();
        Map<String, Map<String, Object>> rows = new TreeMap<>();
        jdbc.query("select k.channel, count(distinct k.incident_id) as n from incident_link_key k where k.kind = 'child'"
                + " and k.seen_at >= ? and k.seen_at < ? and exists (select 1 from incident_link_key e where e.link_key = k.link_key"
                + " and e.incident_id <> k.incident_id and e.seen_at < k.seen_at) group by k.channel",
                (ResultSet rs) -> {
                    Map<String, Object> row = rows.computeIfAbsent(channel(rs.getString("channel"), null),
                            c -> emptyRow("channel", c, "reports"));
                    add(row, "reports", rs.getLong("n"));
                }, from, to);
        rows.values().forEach(table::row);
        return table;
    }

    /** The report's name for a channel: the hotline by its line. */
    static String channel(String channel, String line) {
        return switch (channel == null ? "" : channel) {
            case "hotline" -> line == null ? "hotline_other" : line.equals("111") ? "hotline_111"
                    : line.equals("18001769") ? "hotline_18001769" : "hotline_other";
            case "cctv" -> "camera";
            case "hospital" -> "hospital";
            default -> "agency";
        };
    }

    private static String groupKey(String groupBy) {
        return groupBy == null ? "group" : groupBy;
    }

    private static Map<String, Object> emptyRow(String labelKey, String label, String... counts) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put(labelKey, label);
        for (String key : counts) {
            row.put(key, 0L);
        }
        return row;
    }

    private static void add(Map<String, Object> row, String key, long n) {
        row.merge(key, n, (a, b) -> ((Long) a) + ((Long) b));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp at = rs.getTimestamp(column);
        return at == null ? null : at.toInstant();
    }

    private static void minutes(Instant from, Instant to, List<Double> into) {
        if (from != null && to != null) {
            into.add(Math.max(0, Duration.between(from, to).toMillis()) / 60_000.0);
        }
    }

    /** The nearest-rank percentile of sorted values, or null without any. */
    static Double percentile(List<Double> sorted, int p) {
        if (sorted.isEmpty()) {
            return null;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
