package vn.quangninh.cphub.statistics;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A figure published in two sections is hidden in both, or the other section would give the hidden one away. */
class PublishedReportTest {

    @Test
    void aCountHiddenInOneSectionIsHiddenWhereItIsRepeatedWithTheShareMadeOfIt() {
        // police: 1 awaiting (hidden) would be 9 − 8; so the 8 closed are hidden too, as "x"
        ReportTable police = new ReportTable("police", "Police").label("recipient", "R").count("referrals", "N")
                .count("awaiting", "A").count("closed", "C").partition("referrals", "awaiting", "closed")
                .row(Map.of("recipient", "police", "referrals", 9L, "awaiting", 1L, "closed", 8L));
        // the indicator repeats the 8 and the 9: shown, with 8 / 9, it would give the 1 away again
        ReportTable indicators = new ReportTable("indicators", "Targets").label("indicator", "I").count("numerator", "N")
                .count("denominator", "D").share("share", "%", "numerator", "denominator")
                .sameAs("resolved", "numerator", "police", "police", "closed")
                .sameAs("resolved", "denominator", "police", "police", "referrals")
                .row(Map.of("indicator", "resolved", "numerator", 8L, "denominator", 9L));
        PublishedReport report = PublishedReport.of(
                ReportPeriod.of("H1", "2024", null, null, ZoneId.of("Asia/Ho_Chi_Minh"), LocalDate.of(2024, 1, 1)),
                null, Instant.EPOCH, new SmallCells(5), List.of(police, indicators));
        assertThat(values(report, "police")).containsExactly(List.of("police", 9L, "<5", "x"));
        assertThat(values(report, "indicators")).containsExactly(List.of("resolved", "x", 9L, "x"));
    }

    private static List<List<Object>> values(PublishedReport report, String section) {
        return report.section(section).rows().stream().map(row -> (List<Object>) new ArrayList<>(row.values())).toList();
    }
}
