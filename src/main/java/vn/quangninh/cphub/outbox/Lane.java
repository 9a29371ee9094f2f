package vn.quangninh.cphub.outbox;

/**
 * The two lanes of every partner's delivery: routine referrals on {@code cphub.deliver.<partner>}, and the
 * emergency lane — referrals of priority-1 incidents and clock escalations — on
 * {@code cphub.deliver.<partner>.urgent}, with consumers of its own, so no backlog of routine referrals stands
 * before an emergency.
 */
public enum Lane {
    ROUTINE(""), URGENT(".urgent");

    private final String suffix;

    Lane(String suffix) {
        this.suffix = suffix;
    }

    /** "" or ".urgent": appended to a queue name (and, with "-" for ".", to route and circuit names). */
    public String suffix() {
        return suffix;
    }

    public String queue(String partner) {
        return "cphub.deliver." + partner + suffix;
    }

    /** JMS priority 9 (an escalation, or a referral of a priority-1 incident) travels in the emergency lane. */
    public static Lane ofJmsPriority(int jmsPriority) {
        return jmsPriority >= 9 ? URGENT : ROUTINE;
    }
}
