package vn.quangninh.cphub.referral;

import vn.quangninh.cphub.model.ReferralStatus;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.camel.Body;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.clock.ReferralClocks;
import vn.quangninh.cphub.model.FieldGroup;
import vn.quangninh.cphub.model.Referral;
import vn.quangninh.cphub.store.Journey;

/**
 * The referrals the hub has made ({@code referral} table): opened by triage, moved to {@code delivered}
 * by the sink, then by the recipient's reports. Ids, statuses and case numbers only.
 */
@Component("referralBook")
public class ReferralBook {

    /** A referral as the store keeps it. */
    public record Entry(UUID referralId, UUID incidentId, String partner, String origin, String rule, String profile,
                        String disclosedGroups, String legalBasis, int priority, ReferralStatus status, String partnerCaseId) {
    }

    private final JdbcTemplate jdbc;
    private final ReferralClocks clocks;
    private final Journey journey;
    private final Clock clock;

    public ReferralBook(JdbcTemplate jdbc, ReferralClocks clocks, Journey journey, Clock clock) {
        this.jdbc = jdbc;
        this.clocks = clocks;
        this.journey = journey;
        this.clock = clock;
    }

    /**
     * Records the referral, starts its clocks and notes it in the journey (ROUTED); triage may repeat this
     * after a redelivery.
     */
    public void open(@Body Referral referral) {
        Timestamp now = Timestamp.from(clock.instant());
        // opened by an earlier attempt of triage that did not commit: the first record stands (no error, which
        // would end the store transaction the writes share)
        jdbc.update("insert into referral (referral_id, incident_id, partner_id, origin_partner_id, rule_name, profile,"
                        + " disclosed_groups, legal_basis, priority, status, created_at, updated_at)"
                        + " select ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? where not exists (select 1 from referral where referral_id = ?)",
                referral.referralId().toString(), referral.incidentId().toString(), referral.partner(), referral.origin(),
                referral.rule(), referral.profile(),
                referral.disclosed().stream().map(FieldGroup::id).sorted().collect(Collectors.joining(",")),
                referral.legalBasis().id(), referral.incidentPriority(), ReferralStatus.ROUTED.name(), now, now,
                referral.referralId().toString());
        clocks.start(referral);
        journey.record(referral.incidentId().toString(), referral.referralId().toString(), referral.partner(),
                Journey.Step.ROUTED, null, null, null);
    }

    /** Of the referrals triage planned, those not opened before (a re-triage sends only to new recipients). */
    public List<Referral> notYetOpened(@Body List<Referral> planned) {
        return planned.stream().filter(r -> find(r.referralId()).isEmpty()).toList();
    }

    public Optional<Entry> find(UUID referralId) {
        return jdbc.query("select * from referral where referral_id = ?", ReferralBook::entry, referralId.toString())
                .stream().findFirst();
    }

    /** The referrals made of one incident, oldest first. */
    public List<Entry> referralsOf(UUID incidentId) {
        return jdbc.query("select * from referral where incident_id = ? order by created_at, partner_id", ReferralBook::entry,
                incidentId.toString());
    }

    private static Entry entry(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new Entry(UUID.fromString(rs.getString("referral_id")), UUID.fromString(rs.getString("incident_id")),
                rs.getString("partner_id"), rs.getString("origin_partner_id"), rs.getString("rule_name"),
                rs.getString("profile"), rs.getString("disclosed_groups"), rs.getString("legal_basis"), rs.getInt("priority"),
                ReferralStatus.valueOf(rs.getString("status")), rs.getString("partner_case_id"));
    }

    /** Moves the referral from {@code from} to {@code to}; false when it is no longer in {@code from}. */
    public boolean move(UUID referralId, ReferralStatus from, ReferralStatus to, String partnerCaseId) {
        return jdbc.update("update referral set status = ?, partner_case_id = coalesce(?, partner_case_id), updated_at = ?"
                        + " where referral_id = ? and status = ?",
                to.name(), partnerCaseId, Timestamp.from(clock.instant()), referralId.toString(), from.name()) == 1;
    }
}
