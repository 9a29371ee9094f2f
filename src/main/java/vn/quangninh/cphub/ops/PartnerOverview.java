package vn.quangninh.cphub.ops;

import java.time.Instant;
import java.util.List;

import org.springframework.stereotype.Component;

import vn.quangninh.cphub.broker.BrokerManagement;
import vn.quangninh.cphub.outbox.Lane;
import vn.quangninh.cphub.delivery.PartnerActivity;
import vn.quangninh.cphub.delivery.PartnerCircuits;
import vn.quangninh.cphub.partner.Partner;
import vn.quangninh.cphub.partner.PartnerRegistry;

/**
 * Each partner the hub delivers to, as an operator checks it: its two lanes' circuits (closed / half-open /
 * open), what waits in and is in delivery from its queues, its dead letters, and its last delivery and
 * failure as this hub instance saw them.
 */
@Component
public class PartnerOverview {

    /** One lane of a partner. */
    public record LaneState(String circuit, long waiting, long inDelivery) {
    }

    /** A partner at a glance. */
    public record PartnerState(String partner, String name, LaneState routine, LaneState urgent, long deadLetters,
                               Instant lastDeliveredAt, Instant lastFailedAt, String lastFailure) {
    }

    private final PartnerRegistry partners;
    private final PartnerCircuits circuits;
    private final PartnerActivity activity;
    private final BrokerManagement broker;

    public PartnerOverview(PartnerRegistry partners, PartnerCircuits circuits, PartnerActivity activity, BrokerManagement broker) {
        this.partners = partners;
        this.circuits = circuits;
        this.activity = activity;
        this.broker = broker;
    }

    public List<PartnerState> all() {
        return partners.withSinks().stream().map(this::of).toList();
    }

    private PartnerState of(Partner partner) {
        var last = activity.of(partner.id());
        return new PartnerState(partner.id(), partner.name(), lane(partner.id(), Lane.ROUTINE), lane(partner.id(), Lane.URGENT),
                broker.queue(DeadLetters.queueOf(partner.id())).messages(),
                last.map(PartnerActivity.Activity::lastDeliveredAt).orElse(null),
                last.map(PartnerActivity.Activity::lastFailedAt).orElse(null),
                last.map(PartnerActivity.Activity::lastFailure).orElse(null));
    }

    private LaneState lane(String partner, Lane lane) {
        BrokerManagement.QueueState queue = broker.queue(lane.queue(partner));
        return new LaneState(circuits.state(partner, lane).orElse("none"), queue.messages() - queue.delivering(), queue.delivering());
    }
}
