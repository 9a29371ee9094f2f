package vn.quangninh.cphub.clock;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Set;

/**
 * Working days in the province: the configured days of the week, minus public holidays.
 * "Within N working days" of a moment ends at midnight after the N-th working day that follows the day of
 * that moment (the day of receipt does not count; weekends and holidays do not count).
 */
public record WorkingCalendar(ZoneId zone, Set<DayOfWeek> workingDays, Set<LocalDate> holidays) {

    public boolean isWorkingDay(LocalDate day) {
        return workingDays.contains(day.getDayOfWeek()) && !holidays.contains(day);
    }

    public Instant endOfWorkingDays(Instant start, int days) {
        LocalDate day = start.atZone(zone).toLocalDate();
        int counted = 0;
        while (counted < days) {
            day = day.plusDays(1);
            if (isWorkingDay(day)) {
                counted++;
            }
        }
        return day.plusDays(1).atStartOfDay(zone).toInstant();
    }
}
