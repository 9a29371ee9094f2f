package vn.quangninh.cphub.referral;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.model.FieldGroup;

/**
 * The append-only record of every disclosure: which field groups of which incident reached which partner,
 * through which rule and profile, on which legal basis. Written when the partner has the referral (its
 * 2xx), once per referral; the store refuses updates and deletes on the table.
 */
@Component
public class DisclosureLog {

    /** One disclosure. */
    public record Disclosure(String referralId, String incidentId, String partner, String profile, List<String> disclosed,
                             List<String> withheld, String legalBasis, String rule) {
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public DisclosureLog(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Records the disclosure of this referral, unless it is already recorded (a redelivered referral). */
    public void record(ReferralBook.Entry referral) {
        List<String> disclosed = referral.disclosedGroups().isEmpty() ? List.of() : List.of(referral.disclosedGroups().split(","));
        String withheld = Arrays.stream(FieldGroup.values()).map(FieldGroup::id).filter(g -> !disclosed.contains(g))
                .sorted().collect(Collectors.joining(","));
        jdbc.update("insert into disclosure (referral_id, incident_id, partner_id, profile, disclosed_groups, withheld_groups,"
                        + " legal_basis, rule_name, disclosed_at) select ?, ?, ?, ?, ?, ?, ?, ?, ? from (values (1)) as one"
                        + " where not exists (select 1 from disclosure where referral_id = ?)",
                referral.referralId().toString(), referral.incidentId().toString(), referral.partner(), referral.profile(),
                referral.disclosedGroups(), withheld, referral.legalBasis(), referral.rule(), Timestamp.from(clock.instant()),
                referral.referralId().toString());
    }

    public List<Disclosure> ofIncident(String incidentId) {
        return jdbc.query("select * from disclosure where incident_id = ? order by id", (rs, i) -> new Disclosure(
                rs.getString("referral_id"), rs.getString("incident_id"), rs.getString("partner_id"), rs.getString("profile"),
                split(rs.getString("disclosed_groups")), split(rs.getString("withheld_groups")), rs.getString("legal_basis"),
                rs.getString("rule_name")), incidentId);
    }

    private static List<String> split(String groups) {
        return groups == null || groups.isEmpty() ? List.of() : List.of(groups.split(","));
    }
}
