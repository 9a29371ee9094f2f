package vn.quangninh.cphub.referral;

import vn.quangninh.cphub.model.ReferralStatus;

/**
 * What a recipient reports on {@code POST /api/v1/referrals/{referralId}/status}.
 *
 * @param caseId the recipient's own case number (optional)
 * @param reason why it declined or closed (required to decline); goes to the partner that reported the
 *               incident, never to a log
 */
public record StatusReport(ReferralStatus status, String caseId, String reason) {
}
