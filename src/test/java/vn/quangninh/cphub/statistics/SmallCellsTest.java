package vn.quangninh.cphub.statistics;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Small counts are hidden, and so is what would give them away through a total. */
class SmallCellsTest {

    private final SmallCells cells = new SmallCells(5);

    @Test
    void countsFromOneToFourAreHiddenAndZeroIsShown() {
        ReportTable table = new ReportTable("t", "T").label("kind", "Kind").count("a", "A").count("b", "B")
                .row(Map.of("kind", "school", "a", 4L, "b", 0L)).row(Map.of("kind", "shelter", "a", 5L, "b", 1L));
        assertThat(values(table)).containsExactly(List.of("school", "<5", 0L), List.of("shelter", 5L, "<5"));
    }

    @Test
    void theOnlyHiddenPartOfARowTotalTakesTheNextSmallestPartWithIt() {
        ReportTable table = new ReportTable("t", "T").label("line", "Line").count("calls", "Calls")
                .count("answered", "Answered").count("missed", "Missed").partition("calls", "answered", "missed")
                .row(Map.of("line", "111", "calls", 9L, "answered", 8L, "missed", 1L));
        // 9 − 8 would give the 1 away
        assertThat(values(table)).containsExactly(List.of("111", 9L, "x", "<5"));
    }

    @Test
    void whenEveryOtherPartIsZeroTheTotalIsHidden() {
        ReportTable table = new ReportTable("t", "T").label("k", "K").count("all", "All").count("a", "A").count("b", "B")
                .partition("all", "a", "b").row(Map.of("k", "r", "all", 3L, "a", 3L, "b", 0L))
                .row(Map.of("k", "s", "all", 7L, "a", 0L, "b", 7L));
        assertThat(values(table)).containsExactly(List.of("r", "<5", "<5", 0L), List.of("s", 7L, 0L, 7L));
        ReportTable alone = new ReportTable("t", "T").label("k", "K").count("all", "All").count("a", "A").count("b", "B")
                .partition("all", "a", "b").withTotalRow()
                .row(Map.of("k", "r", "all", 6L, "a", 2L, "b", 4L)).row(Map.of("k", "s", "all", 5L, "a", 5L, "b", 0L));
        // the total row's b (4) is its only hidden part: its a (7) goes with it, so that 11 − 7 does not give it away
        assertThat(values(alone)).containsExactly(List.of("r", 6L, "<5", "<5"), List.of("s", 5L, 5L, 0L),
                List.of("total", 11L, "x", "<5"));
    }

    @Test
    void hidingGoesOnUntilNoHiddenCellCanBeWorkedOut() {
        // the camera alerts of the report test: one small false-alarm count spreads to three more cells
        ReportTable table = new ReportTable("cameraAlerts", "T").label("siteKind", "Kind").count("alerts", "Alerts")
                .count("confirmed", "C").count("falseAlarm", "F").count("undecided", "U")
                .partition("alerts", "confirmed", "falseAlarm", "undecided").withTotalRow()
                .row(Map.of("siteKind", "school", "alerts", 6L, "confirmed", 3L, "falseAlarm", 2L, "undecided", 1L))
                .row(Map.of("siteKind", "unknown", "alerts", 5L, "confirmed", 0L, "falseAlarm", 5L, "undecided", 0L));
        assertThat(values(table)).containsExactly(
                List.of("school", "x", "<5", "<5", "<5"),
                List.of("unknown", "x", 0L, "x", 0L),
                List.of("total", 11L, "<5", 7L, "<5"));
    }

    @Test
    void aDurationOverFewerThanFiveCasesAndAShareOfAHiddenCountAreHidden() {
        ReportTable table = new ReportTable("t", "T").label("k", "K").count("n", "N").minutes("median", "Median", "n")
                .count("met", "Met").share("metShare", "Met %", "met", "n")
                .row(Map.of("k", "few", "n", 4L, "median", 12.0, "met", 4L))
                .row(Map.of("k", "many", "n", 7L, "median", 12.34, "met", 5L))
                .row(Map.of("k", "none", "n", 0L, "met", 0L));
        assertThat(values(table)).containsExactly(
                List.of("few", "<5", "<5", "<5", "x"),
                List.of("many", 7L, 12.3, 5L, 71.4),
                java.util.Arrays.asList("none", 0L, null, 0L, null));
    }

    private List<List<Object>> values(ReportTable table) {
        return cells.publish(table).stream().map(row -> (List<Object>) new java.util.ArrayList<>(row.values())).toList();
    }
}
