package vn.quangninh.cphub.statistics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A statistics report as a printable page (A4, one HTML document, no script, nothing fetched): the three charts
 * people look at rather than read — reports over time by channel, Decree 56 clock compliance, and the plan's two
 * targets as gauges — then every section as a table, with the same published figures as the JSON and the CSV.
 * Charts draw the figures as published: a hidden count ("&lt;5", "x") is not drawn and is named under the chart.
 */
public final class ReportPage {

    private static final String[][] CHANNELS = {{"hotline_111", "Tổng đài 111", "#1f6feb"},
            {"hotline_18001769", "Đường dây 18001769", "#58a6ff"}, {"hotline_other", "Tổng đài khác", "#a5d6ff"},
            {"hospital", "Bệnh viện", "#2da44e"}, {"camera", "Camera", "#bf8700"}, {"agency", "Cơ quan, đối tác", "#8250df"}};

    /** The page runs no script and loads nothing: its own styles only. */
    public static final String POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'";

    private ReportPage() {
    }

    public static String html(PublishedReport report) {
        StringBuilder page = new StringBuilder(32_768);
        page.append("<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>")
                .append(esc("Báo cáo chỉ số bảo vệ trẻ em — " + report.period().label())).append("</title><style>")
                .append("@page{size:A4;margin:14mm}body{font-family:'DejaVu Sans',Arial,sans-serif;font-size:11px;color:#1f2328;margin:16px;-webkit-print-color-adjust:exact;print-color-adjust:exact}")
                .append("h1{font-size:18px;margin:0 0 4px}h2{font-size:13px;margin:18px 0 6px;border-bottom:1px solid #d0d7de}")
                .append(".meta{color:#57606a;margin-bottom:8px}.charts{display:flex;flex-wrap:wrap;gap:16px}")
                .append(".chart{border:1px solid #d0d7de;border-radius:6px;padding:8px;break-inside:avoid}")
                .append(".chart h3{font-size:12px;margin:0 0 6px}.note{color:#57606a;font-size:10px;max-width:420px}")
                .append("table{border-collapse:collapse;margin-bottom:6px;break-inside:avoid}th,td{border:1px solid #d0d7de;padding:2px 6px}")
                .append("th{background:#f6f8fa;text-align:left;font-weight:600}td.n{text-align:right}tr.total td{font-weight:600}")
                .append("th small{display:block;color:#57606a;font-weight:400}.legend span{margin-right:10px;white-space:nowrap}")
                .append(".legend i{display:inline-block;width:10px;height:10px;margin-right:3px;vertical-align:middle}")
                .append("</style></head><body>");
        page.append("<h1>").append(esc("Báo cáo chỉ số bảo vệ trẻ em — " + report.period().label())).append("</h1>");
        page.append("<div class=\"meta\">").append(esc("Từ " + report.period().from() + " đến " + report.period().to() + " ("
                + report.period().zone().getId() + ")" + (report.groupBy() == null ? "" : " · nhóm theo " + report.groupBy())
                + " · lập lúc " + report.generatedAt().atZone(report.period().zone()).toLocalDateTime().truncatedTo(java.time.temporal.ChronoUnit.MINUTES)
                + " · số từ 1 đến 4 hiện là " + report.marker()
                + ", số ẩn kèm để không suy ra được hiện là " + SmallCells.COMPLEMENT)).append("</div>");
        page.append("<div class=\"charts\">");
        page.append(reportsOverTime(report.section("reportsByMonth")));
        page.append(clockCompliance(report.section("clocks")));
        page.append(targets(report.section("indicators")));
        page.append("</div>");
        for (PublishedReport.Section section : report.sections()) {
            page.append(table(section));
        }
        return page.append("</body></html>").toString();
    }

    /** Stacked bars: reports per month by channel. */
    private static String reportsOverTime(PublishedReport.Section months) {
        List<Map<String, Object>> rows = months.rows().stream().filter(r -> !"total".equals(r.get("month"))).toList();
        long max = 1;
        for (Map<String, Object> row : rows) {
            long sum = 0;
            for (String[] channel : CHANNELS) {
                sum += number(row.get(channel[0]));
            }
            max = Math.max(max, sum);
        }
        int width = 420;
        int height = 200;
        int bar = Math.max(4, Math.min(40, (width - 40) / Math.max(1, rows.size()) - 6));
        StringBuilder svg = new StringBuilder("<div class=\"chart\" id=\"chart-reports-over-time\"><h3>Tin báo theo tháng và kênh</h3>")
                .append("<svg role=\"img\" aria-label=\"Tin báo theo tháng và kênh\" width=\"").append(width).append("\" height=\"")
                .append(height + 30).append("\"><line x1=\"30\" y1=\"").append(height).append("\" x2=\"").append(width)
                .append("\" y2=\"").append(height).append("\" stroke=\"#57606a\"/>")
                .append("<text x=\"0\" y=\"12\" font-size=\"10\">").append(max).append("</text>");
        List<String> hidden = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> row = rows.get(i);
            int x = 34 + i * (bar + 6);
            double y = height;
            for (String[] channel : CHANNELS) {
                Object value = row.get(channel[0]);
                if (!(value instanceof Number)) {
                    hidden.add(row.get("month") + " " + channel[1]);
                    continue;
                }
                double h = (height - 16) * number(value) / (double) max;
                y -= h;
                if (h > 0) {
                    svg.append("<rect x=\"").append(x).append("\" y=\"").append(fmt(y)).append("\" width=\"").append(bar)
                            .append("\" height=\"").append(fmt(h)).append("\" fill=\"").append(channel[2]).append("\"><title>")
                            .append(esc(row.get("month") + " · " + channel[1] + ": " + value)).append("</title></rect>");
                }
            }
            String month = String.valueOf(row.get("month"));
            svg.append("<text x=\"").append(x).append("\" y=\"").append(height + 14).append("\" font-size=\"9\">")
                    .append(esc(month.length() == 7 ? month.substring(5) + "/" + month.substring(2, 4) : month)).append("</text>");
        }
        svg.append("</svg><div class=\"legend\">");
        for (String[] channel : CHANNELS) {
            svg.append("<span><i style=\"background:").append(channel[2]).append("\"></i>").append(esc(channel[1])).append("</span>");
        }
        svg.append("</div>");
        if (!hidden.isEmpty()) {
            svg.append("<div class=\"note\">").append(esc("Không vẽ (số nhỏ, ẩn): " + String.join("; ", hidden))).append("</div>");
        }
        return svg.append("</div>").toString();
    }

    /** One bar per clock: met, breached and still running, as shares of the clocks started. */
    private static String clockCompliance(PublishedReport.Section clocks) {
        int width = 360;
        StringBuilder svg = new StringBuilder("<div class=\"chart\" id=\"chart-clock-compliance\"><h3>Thời hạn Nghị định 56/2017</h3>")
                .append("<svg role=\"img\" aria-label=\"Thời hạn Nghị định 56/2017\" width=\"").append(width).append("\" height=\"")
                .append(Math.max(40, 34 * clocks.rows().size() + 10)).append("\">");
        List<String> hidden = new ArrayList<>();
        int y = 6;
        for (Map<String, Object> row : clocks.rows()) {
            long started = number(row.get("started"));
            svg.append("<text x=\"0\" y=\"").append(y + 14).append("\" font-size=\"10\">").append(esc(String.valueOf(row.get("clock"))))
                    .append("</text>");
            double x = 90;
            for (String[] part : new String[][] {{"met", "Đúng hạn", "#2da44e"}, {"breached", "Quá hạn", "#cf222e"},
                    {"running", "Đang tính", "#d0d7de"}}) {
                Object value = row.get(part[0]);
                if (!(value instanceof Number) || !(row.get("started") instanceof Number) || started == 0) {
                    if (!(value instanceof Number)) {
                        hidden.add(row.get("clock") + " " + part[1]);
                    }
                    continue;
                }
                double w = (width - 100) * number(value) / (double) started;
                if (w > 0) {
                    svg.append("<rect x=\"").append(fmt(x)).append("\" y=\"").append(y).append("\" width=\"").append(fmt(w))
                            .append("\" height=\"20\" fill=\"").append(part[2]).append("\"><title>")
                            .append(esc(row.get("clock") + " · " + part[1] + ": " + value + " / " + started)).append("</title></rect>");
                }
                x += w;
            }
            Object share = row.get("metShare");
            svg.append("<text x=\"").append(width - 8).append("\" y=\"").append(y + 14).append("\" font-size=\"10\" text-anchor=\"end\">")
                    .append(esc(share == null ? "" : share + (share instanceof Number ? " %" : ""))).append("</text>");
            y += 34;
        }
        svg.append("</svg><div class=\"legend\"><span><i style=\"background:#2da44e\"></i>Đúng hạn</span>")
                .append("<span><i style=\"background:#cf222e\"></i>Quá hạn</span><span><i style=\"background:#d0d7de\"></i>Đang tính</span></div>");
        if (!hidden.isEmpty()) {
            svg.append("<div class=\"note\">").append(esc("Không vẽ (số nhỏ, ẩn): " + String.join("; ", hidden))).append("</div>");
        }
        return svg.append("</div>").toString();
    }

    /** The plan's two targets as gauges: the share reached, and the target marked on the arc. */
    private static String targets(PublishedReport.Section indicators) {
        StringBuilder html = new StringBuilder("<div class=\"chart\" id=\"chart-targets\"><h3>Chỉ tiêu của Kế hoạch</h3>");
        for (Map<String, Object> row : indicators.rows()) {
            String name = "crimeReportsResolved".equals(row.get("indicator"))
                    ? "Tin báo, tố giác về tội phạm xâm hại trẻ em được giải quyết" : "Vụ việc có dấu hiệu tội phạm được thụ lý";
            double target = "100".equals(row.get("target")) ? 100 : 95;
            Object share = row.get("share");
            html.append("<svg role=\"img\" aria-label=\"").append(esc(name)).append("\" width=\"180\" height=\"120\">")
                    .append(arc(0, 100, "#eaeef2"));
            if (share instanceof Number n) {
                html.append(arc(0, Math.min(100, n.doubleValue()), n.doubleValue() >= target ? "#2da44e" : "#cf222e"));
            }
            double angle = Math.PI * (1 - target / 100);
            html.append("<line x1=\"").append(fmt(90 + 52 * Math.cos(angle))).append("\" y1=\"").append(fmt(95 - 52 * Math.sin(angle)))
                    .append("\" x2=\"").append(fmt(90 + 80 * Math.cos(angle))).append("\" y2=\"").append(fmt(95 - 80 * Math.sin(angle)))
                    .append("\" stroke=\"#1f2328\" stroke-width=\"2\"/>")
                    .append("<text x=\"90\" y=\"92\" text-anchor=\"middle\" font-size=\"18\" font-weight=\"600\">")
                    .append(esc(share == null ? "—" : share + (share instanceof Number ? "%" : ""))).append("</text>")
                    .append("<text x=\"90\" y=\"112\" text-anchor=\"middle\" font-size=\"9\">")
                    .append(esc(row.get("numerator") + " / " + row.get("denominator") + " · mục tiêu " + row.get("target") + "%"))
                    .append("</text></svg>");
            html.append("<div class=\"note\">").append(esc(name)).append("</div>");
        }
        return html.append("</div>").toString();
    }

    /** A thick arc of the gauge from {@code fromPercent} to {@code toPercent} (0 left, 100 right). */
    private static String arc(double fromPercent, double toPercent, String colour) {
        double a1 = Math.PI * (1 - fromPercent / 100);
        double a2 = Math.PI * (1 - toPercent / 100);
        double r = 66;
        return "<path d=\"M " + fmt(90 + r * Math.cos(a1)) + " " + fmt(95 - r * Math.sin(a1)) + " A " + r + " " + r + " 0 0 1 "
                + fmt(90 + r * Math.cos(a2)) + " " + fmt(95 - r * Math.sin(a2)) + "\" fill=\"none\" stroke=\"" + colour
                + "\" stroke-width=\"16\"/>";
    }

    private static String table(PublishedReport.Section section) {
        StringBuilder html = new StringBuilder("<h2 id=\"").append(esc(section.key())).append("\">").append(esc(section.title()))
                .append("</h2><table><thead><tr>");
        for (ReportTable.Column column : section.columns()) {
            html.append("<th>").append(esc(column.title())).append("<small>").append(esc(column.key())).append("</small></th>");
        }
        html.append("</tr></thead><tbody>");
        for (Map<String, Object> row : section.rows()) {
            String first = String.valueOf(row.get(section.columns().get(0).key()));
            html.append(first.equals("total") ? "<tr class=\"total\">" : "<tr>");
            for (ReportTable.Column column : section.columns()) {
                Object value = row.get(column.key());
                html.append(column.kind() == ReportTable.Kind.LABEL ? "<td>" : "<td class=\"n\">")
                        .append(esc(value == null ? "—" : first.equals("total") && column.kind() == ReportTable.Kind.LABEL ? "Tổng" : String.valueOf(value)))
                        .append("</td>");
            }
            html.append("</tr>");
        }
        return html.append("</tbody></table>").toString();
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    static String esc(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
