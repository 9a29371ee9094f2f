package vn.quangninh.cphub.store;

import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubHeaders;
import vn.quangninh.cphub.store.Journey.Step;

/** The steps of the flows, as the routes call them (bean methods bound to headers and properties). */
@Component("journeyRecorder")
public class JourneyRecorder {

    private final Journey journey;

    public JourneyRecorder(Journey journey) {
        this.journey = journey;
    }

    public void received(@Header(HubHeaders.INCIDENT_ID) String incidentId,
                         @ExchangeProperty(HubHeaders.PARTNER) String partner) {
        journey.record(incidentId, null, partner, Step.RECEIVED, null, null, null);
    }

    public void duplicate(@Header(HubHeaders.INCIDENT_ID) String incidentId,
                          @Header(HubHeaders.SOURCE_SYSTEM) String source) {
        journey.record(incidentId, null, source, Step.DUPLICATE, null, null, "source event already taken");
    }

    public void routed(@Header(HubHeaders.INCIDENT_ID) String incidentId,
                       @Header(HubHeaders.REFERRAL_ID) String referralId,
                       @Header(HubHeaders.PARTNER) String partner) {
        journey.record(incidentId, referralId, partner, Step.ROUTED, null, null, null);
    }

    public void unrouted(@Header(HubHeaders.INCIDENT_ID) String incidentId) {
        journey.record(incidentId, null, null, Step.UNROUTED, null, null, "no routing rule matched");
    }
}
