package vn.quangninh.cphub.statistics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One section of a statistics report: named columns (an English key and a Vietnamese title) and rows of counts,
 * durations and shares, before and after small cells are hidden ({@link SmallCells}). Counts in a row can be
 * declared the parts of a total ({@link #partition}); with a total row, each count column is a partition too.
 */
public final class ReportTable {

    /** What a column holds. */
    public enum Kind { LABEL, COUNT, MINUTES, SHARE }

    /** A column: its key (JSON, CSV's second header line), its Vietnamese title (CSV's first) and its kind. */
    public record Column(String key, String title, Kind kind) {
    }

    /** {@code total} is the sum of {@code parts} in every row. */
    record Partition(String total, List<String> parts) {
    }

    /** A share column: {@code numerator / denominator} of the same row, hidden when either is. */
    record Share(String key, String numerator, String denominator) {
    }

    /**
     * The count in {@code column} of the row labelled {@code row} is the same figure as {@code otherColumn} of the
     * row {@code otherRow} of section {@code otherSection}: hidden in one, it is hidden in the other.
     */
    record SameFigure(String row, String column, String otherSection, String otherRow, String otherColumn) {
    }

    /** A duration column: measured over the count in {@code over}, hidden when fewer than the threshold. */
    record Duration(String key, String over) {
    }

    private final String key;
    private final String title;
    private final List<Column> columns = new ArrayList<>();
    private final List<Map<String, Object>> rows = new ArrayList<>();
    private final List<Partition> partitions = new ArrayList<>();
    private final List<Share> shares = new ArrayList<>();
    private final List<Duration> durations = new ArrayList<>();
    private final List<SameFigure> sameFigures = new ArrayList<>();
    private boolean totalRow;

    public ReportTable(String key, String title) {
        this.key = key;
        this.title = title;
    }

    public ReportTable label(String key, String title) {
        columns.add(new Column(key, title, Kind.LABEL));
        return this;
    }

    public ReportTable count(String key, String title) {
        columns.add(new Column(key, title, Kind.COUNT));
        return this;
    }

    public ReportTable minutes(String key, String title, String over) {
        columns.add(new Column(key, title, Kind.MINUTES));
        durations.add(new Duration(key, over));
        return this;
    }

    public ReportTable share(String key, String title, String numerator, String denominator) {
        columns.add(new Column(key, title, Kind.SHARE));
        shares.add(new Share(key, numerator, denominator));
        return this;
    }

    public ReportTable partition(String total, String... parts) {
        partitions.add(new Partition(total, List.of(parts)));
        return this;
    }

    /** Declares a count of this table published in another section too ({@link SameFigure}). */
    public ReportTable sameAs(String row, String column, String otherSection, String otherRow, String otherColumn) {
        sameFigures.add(new SameFigure(row, column, otherSection, otherRow, otherColumn));
        return this;
    }

    /** Adds a last row, labelled "total" in the first column, that sums every count column. */
    public ReportTable withTotalRow() {
        this.totalRow = true;
        return this;
    }

    /** A row: values by column key (counts as long, durations in minutes as double; shares are computed). */
    public ReportTable row(Map<String, Object> values) {
        rows.add(new LinkedHashMap<>(values));
        return this;
    }

    public String key() {
        return key;
    }

    public String title() {
        return title;
    }

    public List<Column> columns() {
        return columns;
    }

    /** The rows as measured, with the total row when there is one (shares not yet computed). */
    List<Map<String, Object>> measuredRows() {
        List<Map<String, Object>> all = new ArrayList<>(rows);
        if (totalRow && !columns.isEmpty()) {
            Map<String, Object> total = new LinkedHashMap<>();
            total.put(columns.get(0).key(), "total");
            for (Column column : columns) {
                if (column.kind() == Kind.COUNT) {
                    total.put(column.key(), rows.stream().mapToLong(r -> count(r.get(column.key()))).sum());
                }
            }
            all.add(total);
        }
        return all;
    }

    boolean hasTotalRow() {
        return totalRow;
    }

    List<Partition> partitions() {
        return partitions;
    }

    List<Share> shares() {
        return shares;
    }

    List<Duration> durations() {
        return durations;
    }

    List<SameFigure> sameFigures() {
        return sameFigures;
    }

    static long count(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }
}
