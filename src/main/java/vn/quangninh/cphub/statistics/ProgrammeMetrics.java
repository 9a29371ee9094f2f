package vn.quangninh.cphub.statistics;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The report's headline figures for the current half-year as Prometheus gauges ({@code /actuator/prometheus}, behind
 * the console login), for the operators' Grafana: {@code cphub_programme_reports{channel}}, the plan's targets
 * {@code cphub_programme_indicator_percent{indicator}} with {@code cphub_programme_indicator_target_percent}, and
 * {@code cphub_programme_clock_met_percent{clock}}. The figures are the published ones, from the same report
 * ({@link ProgrammeReport}, {@link SmallCells}): a hidden one is NaN. Refreshed every
 * {@code cphub.statistics.metrics-refresh} (5 minutes).
 */
@Component
public class ProgrammeMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(ProgrammeMetrics.class);

    private final ProgrammeReport report;
    private final SmallCells cells;
    private final Clock clock;
    private final ZoneId zone;
    private final MultiGauge reports;
    private final MultiGauge indicators;
    private final MultiGauge targets;
    private final MultiGauge clocksMet;

    public ProgrammeMetrics(ProgrammeReport report, MeterRegistry registry, Clock clock,
                            @Value("${cphub.statistics.time-zone}") String zone, SmallCells cells) {
        this.report = report;
        this.cells = cells;
        this.clock = clock;
        this.zone = ZoneId.of(zone);
        this.reports = MultiGauge.builder("cphub.programme.reports")
                .description("Reports received this half-year, by channel (NaN: a small count, hidden)").register(registry);
        this.indicators = MultiGauge.builder("cphub.programme.indicator.percent")
                .description("The provincial plan's indicators this half-year, in percent (NaN: hidden or no case yet)").register(registry);
        this.targets = MultiGauge.builder("cphub.programme.indicator.target.percent")
                .description("The provincial plan's targets, in percent").register(registry);
        this.clocksMet = MultiGauge.builder("cphub.programme.clock.met.percent")
                .description("Decree 56 clocks started this half-year and met in time, in percent (NaN: hidden)").register(registry);
    }

    /** The first figures as soon as the hub runs, so that every gauge is there from the first scrape. */
    @org.springframework.context.event.EventListener(org.springframework.boot.context.event.ApplicationReadyEvent.class)
    public void first() {
        refresh();
    }

    @Scheduled(initialDelayString = "${cphub.statistics.metrics-refresh:5m}", fixedDelayString = "${cphub.statistics.metrics-refresh:5m}")
    void refresh() {
        LocalDate today = LocalDate.ofInstant(clock.instant(), zone);
        try {
            publish(ReportPeriod.of(today.getMonthValue() <= 6 ? "H1" : "H2", String.valueOf(today.getYear()), null, null, zone, today));
        } catch (RuntimeException storeBusy) {
            LOG.warn("Programme figures not refreshed: {}", storeBusy.toString());
        }
    }

    /** Sets the gauges to the period's published figures. */
    void publish(ReportPeriod period) {
        List<MultiGauge.Row<?>> byChannel = new ArrayList<>();
        List<MultiGauge.Row<?>> shares = new ArrayList<>();
        List<MultiGauge.Row<?>> aims = new ArrayList<>();
        List<MultiGauge.Row<?>> met = new ArrayList<>();
        PublishedReport published = PublishedReport.of(period, null, clock.instant(), cells, report.build(period, null));
        for (PublishedReport.Section section : published.sections()) {
            List<Map<String, Object>> rows = section.rows();
            switch (section.key()) {
                case "reports" -> section.columns().stream().filter(c -> c.kind() == ReportTable.Kind.COUNT)
                        .forEach(c -> byChannel.add(MultiGauge.Row.of(Tags.of("channel", c.key()), number(rows.get(0).get(c.key())))));
                case "indicators" -> rows.forEach(row -> {
                    Tags tags = Tags.of("indicator", String.valueOf(row.get("indicator")));
                    shares.add(MultiGauge.Row.of(tags, number(row.get("share"))));
                    aims.add(MultiGauge.Row.of(tags, "100".equals(row.get("target")) ? 100 : 95));
                });
                case "clocks" -> rows.forEach(row ->
                        met.add(MultiGauge.Row.of(Tags.of("clock", String.valueOf(row.get("clock"))), number(row.get("metShare")))));
                default -> {
                    // the other sections are in the report only
                }
            }
        }
        reports.register(byChannel, true);
        indicators.register(shares, true);
        targets.register(aims, true);
        clocksMet.register(met, true);
    }

    private static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
