package vn.quangninh.cphub.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where a referral stands. The hub sets {@code routed} and {@code delivered}; the recipient reports the
 * rest through {@code POST /api/v1/referrals/{id}/status}.
 */
public enum ReferralStatus {
    ROUTED(0), DELIVERED(1), RECEIVED(2), ACCEPTED(3), DECLINED(3), CLOSED(4);

    /** What a recipient may report. */
    public static final Set<ReferralStatus> REPORTABLE = Set.of(RECEIVED, ACCEPTED, DECLINED, CLOSED);

    private final int rank;

    ReferralStatus(int rank) {
        this.rank = rank;
    }

    @JsonCreator
    public static ReferralStatus of(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown referral status '" + value + "' (known: "
                    + String.join(", ", Arrays.stream(values()).map(ReferralStatus::id).toList()) + ")");
        }
    }

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The statuses a referral may move to from this one. */
    public boolean canMoveTo(ReferralStatus next) {
        return switch (next) {
            case ROUTED -> false;
            case DELIVERED -> this == ROUTED;
            case RECEIVED -> this == ROUTED || this == DELIVERED;
            case ACCEPTED, DECLINED -> this == ROUTED || this == DELIVERED || this == RECEIVED;
            case CLOSED -> this == RECEIVED || this == ACCEPTED;
        };
    }

    /** True when reaching this status stops a clock configured to stop on {@code stopsOn}. */
    public boolean stops(ReferralStatus stopsOn) {
        return this == DECLINED || this == stopsOn || (stopsOn != DECLINED && rank >= stopsOn.rank);
    }
}
