package vn.quangninh.cphub.delivery;

import java.util.UUID;

import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubHeaders;
import vn.quangninh.cphub.clock.ReferralClocks;
import vn.quangninh.cphub.referral.DisclosureLog;
import vn.quangninh.cphub.referral.ReferralBook;
import vn.quangninh.cphub.model.ReferralStatus;
import vn.quangninh.cphub.store.Journey;

/**
 * What a sink records when a partner has taken a message (2xx): the attempt and the delivery in the
 * journey; for a referral also its move to {@code delivered}, the disclosure, the clocks a delivery
 * stops (e.g. "forward immediately"), and what was delivered, sealed ({@link DeliveredContent}).
 */
@Component("deliveryRecorder")
public class DeliveryRecorder {

    public static final String REFERRAL = "referral";

    private final Journey journey;
    private final ReferralBook referrals;
    private final DisclosureLog disclosures;
    private final ReferralClocks clocks;
    private final DeliveredContent content;

    public DeliveryRecorder(Journey journey, ReferralBook referrals, DisclosureLog disclosures, ReferralClocks clocks,
                            DeliveredContent content) {
        this.journey = journey;
        this.referrals = referrals;
        this.disclosures = disclosures;
        this.clocks = clocks;
        this.content = content;
    }

    public void delivered(@ExchangeProperty(HubHeaders.MESSAGE_KIND) String kind,
                          @ExchangeProperty(HubHeaders.INCIDENT_ID) String incidentId,
                          @ExchangeProperty(HubHeaders.REFERRAL_ID) String referralId,
                          @ExchangeProperty(HubHeaders.PARTNER) String partner,
                          @ExchangeProperty(HubHeaders.ATTEMPT) Integer attempt,
                          @ExchangeProperty(DeliveredContent.ENVELOPE) String envelope,
                          @Header(org.apache.camel.Exchange.HTTP_RESPONSE_CODE) Integer status) {
        boolean referral = kind == null || REFERRAL.equals(kind);
        String detail = referral ? null : kind;
        journey.record(incidentId, referralId, partner, Journey.Step.ATTEMPT, attempt, String.valueOf(status), detail);
        journey.record(incidentId, referralId, partner, Journey.Step.DELIVERED, attempt, String.valueOf(status), detail);
        if (referral && referralId != null) {
            UUID id = UUID.fromString(referralId);
            referrals.move(id, ReferralStatus.ROUTED, ReferralStatus.DELIVERED, null);
            referrals.find(id).ifPresent(disclosures::record);
            clocks.stop(id, ReferralStatus.DELIVERED);
            content.keep(referralId, incidentId, partner, envelope);
        }
    }
}
