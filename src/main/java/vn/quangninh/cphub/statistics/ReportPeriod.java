package vn.quangninh.cphub.statistics;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * The days a report covers, in the province's time zone: the first half-year ({@code H1}, January to June), the
 * second ({@code H2}), a {@code year}, or {@code custom} days {@code from} to {@code to}, both included.
 */
public record ReportPeriod(String kind, LocalDate from, LocalDate to, ZoneId zone) {

    /** Longest custom period: two years of days, so that one request cannot ask the store for everything. */
    static final int MAX_DAYS = 2 * 366;

    /**
     * Reads the request's {@code period}, {@code year}, {@code from} and {@code to}.
     *
     * @throws BadReportRequest naming the parameter and what it must be
     */
    public static ReportPeriod of(String period, String year, String from, String to, ZoneId zone, LocalDate today) {
        String kind = blank(period) ? (blank(from) && blank(to) ? "year" : "custom") : period.strip();
        if (kind.equals("custom")) {
            if (blank(from) || blank(to)) {
                throw new BadReportRequest("from and to (YYYY-MM-DD) are needed for period=custom");
            }
            LocalDate start = date("from", from);
            LocalDate end = date("to", to);
            if (end.isBefore(start)) {
                throw new BadReportRequest("to is before from");
            }
            if (start.plusDays(MAX_DAYS).isBefore(end)) {
                throw new BadReportRequest("a custom period is at most " + MAX_DAYS + " days");
            }
            return new ReportPeriod(kind, start, end, zone);
        }
        if (!blank(from) || !blank(to)) {
            throw new BadReportRequest("from and to go with period=custom only");
        }
        int y;
        try {
            y = blank(year) ? today.getYear() : Integer.parseInt(year.strip());
        } catch (NumberFormatException e) {
            throw new BadReportRequest("year is a number, e.g. 2026");
        }
        if (y < 2000 || y > 2200) {
            throw new BadReportRequest("year is between 2000 and 2200");
        }
        return switch (kind) {
            case "H1" -> new ReportPeriod(kind, LocalDate.of(y, 1, 1), LocalDate.of(y, 6, 30), zone);
            case "H2" -> new ReportPeriod(kind, LocalDate.of(y, 7, 1), LocalDate.of(y, 12, 31), zone);
            case "year" -> new ReportPeriod(kind, LocalDate.of(y, 1, 1), LocalDate.of(y, 12, 31), zone);
            default -> throw new BadReportRequest("period is H1, H2, year or custom");
        };
    }

    /** The first instant of the period. */
    public Instant start() {
        return from.atStartOfDay(zone).toInstant();
    }

    /** The first instant after the period. */
    public Instant end() {
        return to.plusDays(1).atStartOfDay(zone).toInstant();
    }

    /** How a reader names it: "H1 2026", "2026", "2026-03-01..2026-03-31". */
    public String label() {
        return switch (kind) {
            case "H1", "H2" -> kind + " " + from.getYear();
            case "year" -> String.valueOf(from.getYear());
            default -> from + ".." + to;
        };
    }

    private static LocalDate date(String name, String value) {
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new BadReportRequest(name + " is a date, YYYY-MM-DD");
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
