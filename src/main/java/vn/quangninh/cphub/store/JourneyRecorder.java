package vn.quangninh.cphub.store;

import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubHeaders;
import vn.quangninh.cphub.store.Journey.Step;

/** The steps of the flows, as the routes call them (bean methods bound to headers and properties). */
@Component("journeyRecorder")
public class JourneyRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(JourneyRecorder.class);

    private final Journey journey;

    public JourneyRecorder(Journey journey) {
        this.journey = journey;
    }

    /**
     * Called by the intake connectors once the incident is on the broker: the report is safe, so a store that
     * cannot be reached costs the journey this one row, not the sender a failure (which would make it send
     * the report again). Triage records the rest of the journey once the store is back.
     */
    public void received(@Header(HubHeaders.INCIDENT_ID) String incidentId,
                         @ExchangeProperty(HubHeaders.PARTNER) String partner) {
        try {
            journey.record(incidentId, null, partner, Step.RECEIVED, null, null, null);
        } catch (DataAccessException storeUnavailable) {
            LOG.warn("Incident {} taken from {}; its journey step RECEIVED was not recorded: {}", incidentId, partner,
                    storeUnavailable.getClass().getSimpleName());
        }
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
