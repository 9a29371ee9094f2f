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

    /**
     * Triage records the hub's receipt of an incident when it takes it, with the time the hub received it
     * ({@code cphubReceivedAt}, set at admission): the intake connectors write nothing to the store, so a sender
     * waits only for the broker, and a store that cannot be reached never costs it an answer.
     */
    public void received(@Header(HubHeaders.INCIDENT_ID) String incidentId, @Header(HubHeaders.SOURCE_SYSTEM) String source,
                         @Header(HubHeaders.RECEIVED_AT) Long receivedAtMillis,
                         @Header(HubHeaders.RETRIAGE) Boolean retriage) {
        if (Boolean.TRUE.equals(retriage)) {
            return;     // received long ago; the operator's RETRIAGED step says what happens now
        }
        journey.recordAt(receivedAtMillis == null ? java.time.Instant.now() : java.time.Instant.ofEpochMilli(receivedAtMillis),
                incidentId, null, source, Step.RECEIVED, null, null, null);
    }

    public void duplicate(@Header(HubHeaders.INCIDENT_ID) String incidentId,
                          @Header(HubHeaders.SOURCE_SYSTEM) String source) {
        journey.record(incidentId, null, source, Step.DUPLICATE, null, null, "source event already taken");
    }

    public void unrouted(@Header(HubHeaders.INCIDENT_ID) String incidentId) {
        journey.record(incidentId, null, null, Step.UNROUTED, null, null, "no routing rule matched");
    }
}
