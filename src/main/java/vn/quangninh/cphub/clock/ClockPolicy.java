package vn.quangninh.cphub.clock;

import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.stereotype.Component;

import vn.quangninh.cphub.config.OperatorFiles;
import vn.quangninh.cphub.partner.PartnerRegistry;
import vn.quangninh.cphub.model.ReferralStatus;

/**
 * The legal clocks of {@code config/clocks.yaml} (Decree 56/2017/NĐ-CP): for each clock a target — a
 * duration or a number of working days — and the referral status that stops it; the working calendar;
 * when to warn; the supervisor partner escalations go to. Checked when the hub starts.
 */
@Component
public class ClockPolicy {

    /** One kind of clock, as configured. Exactly one of {@code target} and {@code workingDays} is set. */
    public record ClockKind(String description, Duration target, Integer workingDays, ReferralStatus stopsOn) {
    }

    record ClocksFile(String timeZone, List<DayOfWeek> workingDays, List<LocalDate> holidays, Integer warnAtPercent,
                      String escalateTo, Map<String, ClockKind> clocks) {
    }

    private final Map<String, ClockKind> kinds;
    private final WorkingCalendar calendar;
    private final int warnAtPercent;
    private final String escalateTo;

    public ClockPolicy(OperatorFiles files, PartnerRegistry partners) {
        Path file = files.resolve("clocks.yaml");
        ClocksFile content = files.read(file, ClocksFile.class);
        if (content == null || content.clocks() == null || content.clocks().isEmpty()) {
            throw new OperatorFiles.InvalidOperatorFileException(file, "it defines no clocks");
        }
        content.clocks().forEach((name, kind) -> check(file, name, kind));
        if (content.warnAtPercent() == null || content.warnAtPercent() < 1 || content.warnAtPercent() > 99) {
            throw new OperatorFiles.InvalidOperatorFileException(file, "warnAtPercent must be between 1 and 99");
        }
        if (content.escalateTo() == null || partners.find(content.escalateTo()).map(p -> p.sink() == null).orElse(true)) {
            throw new OperatorFiles.InvalidOperatorFileException(file, "escalateTo must name a partner with a sink in"
                    + " config/partners.yaml, not '" + content.escalateTo() + "'");
        }
        try {
            this.calendar = new WorkingCalendar(ZoneId.of(content.timeZone() == null ? "Asia/Ho_Chi_Minh" : content.timeZone()),
                    content.workingDays() == null ? EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY) : EnumSet.copyOf(content.workingDays()),
                    content.holidays() == null ? Set.of() : new HashSet<>(content.holidays()));
        } catch (RuntimeException e) {
            throw new OperatorFiles.InvalidOperatorFileException(file, e);
        }
        this.kinds = Map.copyOf(content.clocks());
        this.warnAtPercent = content.warnAtPercent();
        this.escalateTo = content.escalateTo();
    }

    private static void check(Path file, String name, ClockKind kind) {
        if (!name.matches("[a-z][a-z0-9-]{0,31}")) {
            throw new OperatorFiles.InvalidOperatorFileException(file, "clock name '" + name
                    + "' must be lower-case letters, digits and '-' (at most 32)");
        }
        if (kind == null || (kind.target() == null) == (kind.workingDays() == null)) {
            throw new OperatorFiles.InvalidOperatorFileException(file, "clocks." + name + " needs either target (e.g. PT12H) or workingDays");
        }
        if (kind.target() != null && (kind.target().isNegative() || kind.target().isZero())) {
            throw new OperatorFiles.InvalidOperatorFileException(file, "clocks." + name + ".target must be positive");
        }
        if (kind.workingDays() != null && kind.workingDays() < 1) {
            throw new OperatorFiles.InvalidOperatorFileException(file, "clocks." + name + ".workingDays must be at least 1");
        }
        if (kind.stopsOn() == null || kind.stopsOn() == ReferralStatus.ROUTED) {
            throw new OperatorFiles.InvalidOperatorFileException(file, "clocks." + name
                    + ".stopsOn must be delivered, received, accepted, declined or closed");
        }
    }

    public Set<String> names() {
        return kinds.keySet();
    }

    public ClockKind kind(String name) {
        ClockKind kind = kinds.get(name);
        if (kind == null) {
            throw new IllegalArgumentException("no clock '" + name + "' in config/clocks.yaml");
        }
        return kind;
    }

    public Instant deadline(String name, Instant start) {
        ClockKind kind = kind(name);
        return kind.target() != null ? start.plus(kind.target()) : calendar.endOfWorkingDays(start, kind.workingDays());
    }

    /** The moment the supervisor is warned: {@code warnAtPercent} of the way from start to deadline. */
    public Instant warning(Instant start, Instant deadline) {
        return start.plusMillis(Duration.between(start, deadline).toMillis() * warnAtPercent / 100);
    }

    public String escalateTo() {
        return escalateTo;
    }

    public WorkingCalendar calendar() {
        return calendar;
    }
}
