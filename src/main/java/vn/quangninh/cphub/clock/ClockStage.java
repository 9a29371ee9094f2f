package vn.quangninh.cphub.clock;

import java.util.Locale;
import java.util.UUID;

/** One stage of one referral's clock: its warning (at warn-at-percent) or its breach (at the deadline). */
public record ClockStage(UUID referralId, String clock, Stage stage) {

    public enum Stage { WARNING, BREACH }

    /**
     * "referralId/clock/stage": the escalation's duplicate id, so that the broker keeps one escalation per
     * stage however many times (or hub instances) send it.
     */
    String id() {
        return referralId + "/" + clock + "/" + stage.name().toLowerCase(Locale.ROOT);
    }
}
