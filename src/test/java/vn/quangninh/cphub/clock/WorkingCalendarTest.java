package vn.quangninh.cphub.clock;

import java.time.DayOfWeek;
import java.util.EnumSet;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WorkingCalendarTest {

    private static final ZoneId HANOI = ZoneId.of("Asia/Ho_Chi_Minh");
    private final WorkingCalendar calendar = new WorkingCalendar(HANOI, EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
            Set.of(LocalDate.parse("2026-02-16"), LocalDate.parse("2026-02-17"), LocalDate.parse("2026-02-18"),
                    LocalDate.parse("2026-02-19"), LocalDate.parse("2026-02-20")));

    @Test
    void fiveWorkingDaysFromAWednesdaySkipTheWeekend() {
        Instant received = Instant.parse("2026-11-25T03:00:00Z"); // Wednesday 10:00 in Ha Long
        // Thu 26, Fri 27, Mon 30, Tue 1, Wed 2 December: due by the end of Wednesday 2 December, local time
        assertThat(calendar.endOfWorkingDays(received, 5)).isEqualTo(Instant.parse("2026-12-02T17:00:00Z"));
    }

    @Test
    void theTetHolidaysDoNotCount() {
        Instant received = Instant.parse("2026-02-13T09:00:00Z"); // Friday 16:00 before Tết
        // 16-20 February are holidays: Mon 23 .. Fri 27 February
        assertThat(calendar.endOfWorkingDays(received, 5)).isEqualTo(Instant.parse("2026-02-27T17:00:00Z"));
    }

    @Test
    void theDayIsTheLocalDay() {
        Instant lateSunday = Instant.parse("2026-11-29T18:30:00Z"); // already Monday 01:30 in Ha Long
        assertThat(calendar.endOfWorkingDays(lateSunday, 1)).isEqualTo(Instant.parse("2026-12-01T17:00:00Z"));
    }
}
