package vn.quangninh.cphub.ops;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import vn.quangninh.cphub.HubHeaders;
import vn.quangninh.cphub.incident.IncidentContent;
import vn.quangninh.cphub.store.Journey;
import vn.quangninh.cphub.store.Journey.Step;

/**
 * An incident triaged again, after an operator changed {@code config/routing.yaml}: the incident as triage took it
 * ({@link IncidentContent}) goes back to intake, in the lane of its priority, and triage routes it by the rules now
 * in force, sending it only to recipients it has not had (each as a new referral, its clocks from the incident's
 * first receipt). Recipients that already have it get nothing again (send again is {@link ReferralReplay}). For an
 * operator or admin, with a reason; recorded ({@code RETRIAGE}) and in the incident's journey ({@code RETRIAGED})
 * before it is sent.
 */
@Component
public class IncidentRetriage {

    private static final Logger LOG = LoggerFactory.getLogger(IncidentRetriage.class);

    /** What a re-triage did. */
    public record Outcome(long actionId, String incidentId) {
    }

    private final IncidentContent content;
    private final OperatorActions actions;
    private final Journey journey;
    private final ProducerTemplate producer;
    private final TransactionTemplate store;
    private final ObjectMapper json = new ObjectMapper();

    public IncidentRetriage(IncidentContent content, OperatorActions actions, Journey journey, ProducerTemplate producer,
                            PlatformTransactionManager storeTransactionManager) {
        this.content = content;
        this.actions = actions;
        this.journey = journey;
        this.producer = producer;
        this.store = new TransactionTemplate(storeTransactionManager);
    }

    public Outcome retriage(String incidentId, String user, String reason) {
        String incident = content.find(incidentId).orElseThrow(() -> new OpsException(404, "incident " + incidentId
                + " is not kept: never triaged by this hub, or received longer ago than the retention with no open referral"));
        JsonNode tree;
        try {
            tree = json.readTree(incident);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the kept incident " + incidentId + " is not JSON", e);
        }
        String source = tree.path("source").path("system").asText();
        long actionId = store.execute(tx -> {
            long id = actions.record(user, "RETRIAGE", source, "incident " + incidentId, reason, "back to triage");
            journey.record(incidentId, null, null, Step.RETRIAGED, null, null, user);
            return id;
        });
        Map<String, Object> headers = new HashMap<>();
        headers.put(HubHeaders.INCIDENT_ID, incidentId);
        headers.put(HubHeaders.SOURCE_SYSTEM, source);
        // a key of its own, or triage would skip it as the source event it has taken
        headers.put(HubHeaders.DEDUPE_KEY, source + "/" + tree.path("source").path("eventId").asText() + "#retriage-" + actionId);
        headers.put(HubHeaders.PRIORITY, tree.path("priority").asInt(4));
        headers.put(HubHeaders.RECEIVED_AT, Instant.parse(tree.path("receivedAt").asText()).toEpochMilli());
        headers.put(HubHeaders.RETRIAGE, true);
        try {
            producer.sendBodyAndHeaders("direct:enqueue-incident", incident, headers);
        } catch (RuntimeException e) {
            LOG.error("RETRIAGE by {} of incident {} recorded (operator action {}) but the broker did not take it: {}",
                    user, incidentId, actionId, e.getClass().getSimpleName());
            throw new OpsException(503, "recorded as operator action " + actionId
                    + ", but the broker did not take the incident; try again");
        }
        LOG.info("RETRIAGE by {}: incident {} back to triage, operator action {}", user, incidentId, actionId);
        return new Outcome(actionId, incidentId);
    }
}
