package vn.quangninh.cphub.statistics;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A statistics report as it leaves the hub, small cells hidden: JSON, or CSV for spreadsheets (UTF-8 with a byte
 * order mark; per section a title line, the Vietnamese headers, the English keys, the rows, a blank line).
 */
public record PublishedReport(ReportPeriod period, String groupBy, Instant generatedAt, String marker,
                              List<Section> sections) {

    /** One published section: its key, title, columns and rows (counts, "<5", durations, shares). */
    public record Section(String key, String title, List<ReportTable.Column> columns, List<Map<String, Object>> rows) {
    }

    public static PublishedReport of(ReportPeriod period, String groupBy, Instant generatedAt, SmallCells cells,
                                     List<ReportTable> tables) {
        List<Section> sections = tables.stream().map(t -> new Section(t.key(), t.title(), t.columns(), cells.publish(t))).toList();
        PublishedReport report = new PublishedReport(period, groupBy, generatedAt, cells.marker(), sections);
        report.hideAlike(tables);
        return report;
    }

    /**
     * A figure published in two sections is hidden in both when it is hidden in one (shown as the complement), and a
     * share of a figure hidden so is hidden too.
     */
    private void hideAlike(List<ReportTable> tables) {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (ReportTable table : tables) {
                for (ReportTable.SameFigure same : table.sameFigures()) {
                    Map<String, Object> here = row(table.key(), same.row());
                    Map<String, Object> there = row(same.otherSection(), same.otherRow());
                    if (here == null || there == null) {
                        continue;
                    }
                    boolean hiddenHere = !(here.get(same.column()) instanceof Number);
                    boolean hiddenThere = !(there.get(same.otherColumn()) instanceof Number);
                    if (hiddenHere != hiddenThere) {
                        (hiddenHere ? there : here).put(hiddenHere ? same.otherColumn() : same.column(), SmallCells.COMPLEMENT);
                        changed = true;
                    }
                }
            }
        }
        for (ReportTable table : tables) {
            for (Map<String, Object> row : section(table.key()).rows()) {
                for (ReportTable.Share share : table.shares()) {
                    if (!(row.get(share.numerator()) instanceof Number) || !(row.get(share.denominator()) instanceof Number)) {
                        if (row.get(share.key()) != null) {
                            row.put(share.key(), SmallCells.COMPLEMENT);
                        }
                    }
                }
            }
        }
    }

    /** The published row of a section whose first column is {@code label}, or null. */
    private Map<String, Object> row(String sectionKey, String label) {
        Section section = section(sectionKey);
        String first = section.columns().get(0).key();
        return section.rows().stream().filter(r -> label.equals(String.valueOf(r.get(first)))).findFirst().orElse(null);
    }

    /** The report in one format: its media type, its bytes, and a file name for a download (null: shown in place). */
    public record Document(String mediaType, byte[] body, String fileName) {
    }

    /** As {@code json}, {@code csv} (a download) or {@code html} (the printable page, {@link ReportPage}). */
    public Document as(String format, ObjectMapper json) {
        return switch (format) {
            case "csv" -> new Document("text/csv; charset=utf-8", csv(), "cphub-report-" + period.label().replace(' ', '-') + ".csv");
            case "html" -> new Document("text/html; charset=utf-8", ReportPage.html(this).getBytes(StandardCharsets.UTF_8), null);
            default -> new Document("application/json", json(json).getBytes(StandardCharsets.UTF_8), null);
        };
    }

    /** The section with this key. */
    public Section section(String key) {
        return sections.stream().filter(s -> s.key().equals(key)).findFirst().orElseThrow();
    }

    public String json(ObjectMapper json) {
        ObjectNode root = json.createObjectNode();
        root.putObject("period").put("kind", period.kind()).put("label", period.label()).put("from", period.from().toString())
                .put("to", period.to().toString()).put("timeZone", period.zone().getId());
        root.put("groupBy", groupBy);
        root.put("generatedAt", generatedAt.toString());
        root.putObject("smallCells").put("shownAs", marker).put("complementShownAs", SmallCells.COMPLEMENT)
                .put("rule", "counts below " + marker.substring(1) + " are shown as " + marker + "; where one part of a total is"
                        + " hidden, the next smallest part is hidden too, shown as " + SmallCells.COMPLEMENT);
        ArrayNode out = root.putArray("sections");
        for (Section section : sections) {
            ObjectNode node = out.addObject().put("key", section.key()).put("title", section.title());
            ArrayNode columns = node.putArray("columns");
            section.columns().forEach(c -> columns.addObject().put("key", c.key()).put("title", c.title())
                    .put("kind", c.kind().name().toLowerCase(java.util.Locale.ROOT)));
            node.set("rows", json.valueToTree(section.rows()));
        }
        return root.toString();
    }

    public byte[] csv() {
        StringBuilder csv = new StringBuilder("\uFEFF");
        csv.append(cell("Báo cáo: " + period.label())).append(',').append(cell(period.from() + ".." + period.to()))
                .append(',').append(cell(groupBy == null ? "" : "groupBy=" + groupBy)).append("\r\n\r\n");
        for (Section section : sections) {
            csv.append(cell(section.title())).append(',').append(cell(section.key())).append("\r\n");
            csv.append(String.join(",", section.columns().stream().map(c -> cell(c.title())).toList())).append("\r\n");
            csv.append(String.join(",", section.columns().stream().map(c -> cell(c.key())).toList())).append("\r\n");
            for (Map<String, Object> row : section.rows()) {
                csv.append(String.join(",", section.columns().stream().map(c -> cell(row.get(c.key()))).toList())).append("\r\n");
            }
            csv.append("\r\n");
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** One CSV field: quoted when it must be, and never read as a formula by a spreadsheet. */
    private static String cell(Object value) {
        if (value == null) {
            return "";
        }
        String text = String.valueOf(value);
        if (!text.isEmpty() && "=+-@".indexOf(text.charAt(0)) >= 0 && !(value instanceof Number)) {
            text = "'" + text;
        }
        return text.matches("[^,\"\r\n]*") ? text : "\"" + text.replace("\"", "\"\"") + "\"";
    }
}
