package vn.quangninh.cphub.statistics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hides the counts that could point at a child: every count from 1 to {@code threshold − 1} is shown as
 * {@code "<threshold"} (a 0 is shown), and then, so that a hidden count cannot be worked out from a total, wherever
 * exactly one part of a total is hidden the next smallest part is hidden too, shown as {@code "x"} (and the total
 * itself when every other part is 0), along rows (declared partitions) and down columns (tables with a total row),
 * until nothing changes. Each table is protected on its own: a figure repeated in another section is not taken
 * into account.
 * A duration measured over fewer than {@code threshold} cases and a share whose numerator or denominator is hidden
 * are hidden as well.
 */
@org.springframework.stereotype.Component
public final class SmallCells {

    private final int threshold;

    /** @param threshold the smallest count shown ({@code cphub.statistics.small-cell-threshold}, at least 2) */
    @org.springframework.beans.factory.annotation.Autowired
    public SmallCells(@org.springframework.beans.factory.annotation.Value("${cphub.statistics.small-cell-threshold:5}") int threshold) {
        if (threshold < 2) {
            throw new IllegalStateException("cphub.statistics.small-cell-threshold must be at least 2 (got " + threshold + ")");
        }
        this.threshold = threshold;
    }

    public String marker() {
        return "<" + threshold;
    }

    /** How a count hidden only so that a small one cannot be worked out from a total is shown. */
    public static final String COMPLEMENT = "x";

    /** The table's rows as published: small cells replaced by the marker, shares computed from what is shown. */
    public List<Map<String, Object>> publish(ReportTable table) {
        List<Map<String, Object>> rows = table.measuredRows();
        Set<Cell> hidden = new HashSet<>();
        Set<Cell> small = new HashSet<>();
        for (int r = 0; r < rows.size(); r++) {
            for (ReportTable.Column column : table.columns()) {
                long value = ReportTable.count(rows.get(r).get(column.key()));
                if (column.kind() == ReportTable.Kind.COUNT && value > 0 && value < threshold) {
                    hidden.add(new Cell(r, column.key()));
                    small.add(new Cell(r, column.key()));
                }
            }
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int r = 0; r < rows.size(); r++) {
                final int row = r;
                for (ReportTable.Partition partition : table.partitions()) {
                    changed |= complement(rows, hidden, new Cell(row, partition.total()),
                            partition.parts().stream().map(key -> new Cell(row, key)).toList());
                }
            }
            if (table.hasTotalRow()) {
                int totalRow = rows.size() - 1;
                for (ReportTable.Column column : table.columns()) {
                    if (column.kind() == ReportTable.Kind.COUNT) {
                        List<Cell> parts = new ArrayList<>();
                        for (int r = 0; r < totalRow; r++) {
                            parts.add(new Cell(r, column.key()));
                        }
                        changed |= complement(rows, hidden, new Cell(totalRow, column.key()), parts);
                    }
                }
            }
        }
        List<Map<String, Object>> published = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            Map<String, Object> measured = rows.get(r);
            Map<String, Object> row = new LinkedHashMap<>();
            for (ReportTable.Column column : table.columns()) {
                row.put(column.key(), shown(table, measured, r, column, hidden, small));
            }
            published.add(row);
        }
        return published;
    }

    private Object shown(ReportTable table, Map<String, Object> measured, int r, ReportTable.Column column, Set<Cell> hidden,
                         Set<Cell> small) {
        Cell cell = new Cell(r, column.key());
        switch (column.kind()) {
            case COUNT:
                return small.contains(cell) ? marker() : hidden.contains(cell) ? COMPLEMENT : ReportTable.count(measured.get(column.key()));
            case MINUTES:
                String over = table.durations().stream().filter(d -> d.key().equals(column.key())).findFirst().orElseThrow().over();
                Object minutes = measured.get(column.key());
                if (ReportTable.count(measured.get(over)) < threshold || minutes == null) {
                    return minutes == null && ReportTable.count(measured.get(over)) == 0 ? null : marker();
                }
                return Math.round(((Number) minutes).doubleValue() * 10) / 10.0;
            case SHARE:
                ReportTable.Share share = table.shares().stream().filter(s -> s.key().equals(column.key())).findFirst().orElseThrow();
                if (hidden.contains(new Cell(r, share.numerator())) || hidden.contains(new Cell(r, share.denominator()))) {
                    return COMPLEMENT;
                }
                long denominator = ReportTable.count(measured.get(share.denominator()));
                return denominator == 0 ? null
                        : Math.round(1000.0 * ReportTable.count(measured.get(share.numerator())) / denominator) / 10.0;
            default:
                return measured.get(column.key());
        }
    }

    /**
     * When the total is shown and exactly one of its parts hidden, hides the smallest shown part above 0 (or, when
     * every other part is 0, the total). Returns whether it hid anything.
     */
    private static boolean complement(List<Map<String, Object>> rows, Set<Cell> hidden, Cell total, List<Cell> parts) {
        if (hidden.contains(total)) {
            return false;
        }
        if (parts.stream().filter(hidden::contains).count() != 1) {
            return false;
        }
        Cell smallest = null;
        for (Cell part : parts) {
            long value = ReportTable.count(rows.get(part.row()).get(part.column()));
            if (!hidden.contains(part) && value > 0
                    && (smallest == null || value < ReportTable.count(rows.get(smallest.row()).get(smallest.column())))) {
                smallest = part;
            }
        }
        return hidden.add(smallest != null ? smallest : total);
    }

    /** A cell by row index and column key. */
    private record Cell(int row, String column) {
    }
}
