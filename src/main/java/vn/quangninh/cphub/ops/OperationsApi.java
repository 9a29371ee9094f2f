package vn.quangninh.cphub.ops;

import java.security.Principal;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import vn.quangninh.cphub.broker.BrokerManagement;
import vn.quangninh.cphub.store.Journey;

/**
 * The operations API ({@code /api/ops/v1}, console logins; OpenAPI: {@code /api/ops/v1/openapi.yaml}): the
 * hub's queues, its partners' health, dead letters and what operators did with them, and the journey of an
 * incident or referral — the same things as the console, for scripts. Who may do what is in
 * {@code security.SecurityConfiguration}: every role reads; operators and admins retry; only admins discard,
 * and only admins see a dead letter's content (with a reason, recorded). Otherwise ids and states only.
 */
@RestController
@RequestMapping("/api/ops/v1")
public class OperationsApi {

    private static final Logger LOG = LoggerFactory.getLogger(OperationsApi.class);
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** A retry or discard: which message (none: all, for retry) and why. */
    public record ActionRequest(Long messageId, String reason) {
    }

    private final BrokerManagement broker;
    private final PartnerOverview partners;
    private final DeadLetters deadLetters;
    private final Journey journey;
    private final OperatorActions actions;
    private final ReferralReplay replay;
    private final IncidentRetriage retriage;

    public OperationsApi(BrokerManagement broker, PartnerOverview partners, DeadLetters deadLetters, Journey journey,
                         OperatorActions actions, ReferralReplay replay, IncidentRetriage retriage) {
        this.broker = broker;
        this.partners = partners;
        this.deadLetters = deadLetters;
        this.journey = journey;
        this.actions = actions;
        this.replay = replay;
        this.retriage = retriage;
    }

    /** Who is asking and what they may do: the console shows only the actions the role allows. */
    @GetMapping("/me")
    public Map<String, Object> me(org.springframework.security.core.Authentication user) {
        List<String> roles = user.getAuthorities().stream().map(a -> a.getAuthority().replaceFirst("^ROLE_", "")).sorted().toList();
        boolean operator = roles.contains("operator") || roles.contains("admin");
        return Map.of("user", user.getName(), "roles", roles, "mayRetry", operator, "mayDiscard", roles.contains("admin"),
                "mayViewContent", roles.contains("admin"));
    }

    @GetMapping("/queues")
    public List<Map<String, Object>> queues() {
        return broker.queues("cphub.").stream().map(q -> Map.<String, Object>of("queue", q.name(), "messages", q.messages(),
                "inDelivery", q.delivering(), "consumers", q.consumers(), "oldestMessageAgeSeconds", q.oldestMessageAgeSeconds(),
                "deadLetter", q.name().startsWith("cphub.dlq."))).toList();
    }

    @GetMapping("/partners")
    public List<PartnerOverview.PartnerState> partners() {
        return partners.all();
    }

    @GetMapping("/dead-letters/{partner}")
    public List<DeadLetters.DeadLetter> deadLetters(@PathVariable String partner) {
        return deadLetters.of(partner);
    }

    @PostMapping("/dead-letters/{partner}/retry")
    public DeadLetters.Outcome retry(@PathVariable String partner, @RequestBody(required = false) ActionRequest request,
                                     Principal user) {
        return deadLetters.retry(partner, request == null ? null : request.messageId(), user.getName(), reason(request));
    }

    /** One dead letter to its partner's emergency lane, ahead of every routine referral (operators). */
    @PostMapping("/dead-letters/{partner}/move")
    public DeadLetters.Outcome move(@PathVariable String partner, @RequestBody(required = false) ActionRequest request,
                                    Principal user) {
        String reason = reason(request);
        if (request.messageId() == null) {
            throw new OpsException(400, "messageId is required: a move takes one message");
        }
        return deadLetters.moveToEmergencyLane(partner, request.messageId(), user.getName(), reason);
    }

    @PostMapping("/dead-letters/{partner}/discard")
    public DeadLetters.Outcome discard(@PathVariable String partner, @RequestBody(required = false) ActionRequest request,
                                       Principal user) {
        String reason = reason(request);
        if (request.messageId() == null) {
            throw new OpsException(400, "messageId is required: a discard removes one message, never a whole queue");
        }
        return deadLetters.discard(partner, request.messageId(), user.getName(), reason);
    }

    /** The content of a dead letter, as its partner was to receive it (admins; a reason; recorded). */
    @PostMapping("/dead-letters/{partner}/{messageId}/content")
    public Map<String, Object> content(@PathVariable String partner, @PathVariable long messageId,
                                       @RequestBody(required = false) ActionRequest request, Principal user) {
        String body = deadLetters.content(partner, messageId, user.getName(), reason(request))
                .orElseThrow(() -> new OpsException(404, "message " + messageId + " is no longer in " + DeadLetters.queueOf(partner)));
        Object shown = body;
        try {
            shown = JSON.readTree(body);
        } catch (java.io.IOException notJson) {
            // shown as the text it is
        }
        return Map.of("partner", partner, "messageId", messageId, "content", shown);
    }

    /** A delivered referral sent to its partner again, as delivered, with the same Idempotency-Key (operators). */
    @PostMapping("/referrals/{referralId}/replay")
    public ReferralReplay.Outcome replay(@PathVariable String referralId, @RequestBody(required = false) ActionRequest request,
                                         Principal user) {
        return replay.replay(referralId, user.getName(), reason(request));
    }

    /** An incident triaged again by the rules now in force, to the recipients it has not had (operators). */
    @PostMapping("/incidents/{incidentId}/retriage")
    public IncidentRetriage.Outcome retriage(@PathVariable String incidentId,
                                             @RequestBody(required = false) ActionRequest request, Principal user) {
        try {
            java.util.UUID.fromString(incidentId);
        } catch (IllegalArgumentException notAnId) {
            throw new OpsException(400, "'" + incidentId + "' is not an incident id");
        }
        return retriage.retriage(incidentId, user.getName(), reason(request));
    }

    /** What a referral's partner was delivered (admins; a reason; recorded). */
    @PostMapping("/referrals/{referralId}/content")
    public Map<String, Object> deliveredContent(@PathVariable String referralId,
                                                @RequestBody(required = false) ActionRequest request, Principal user) {
        String body = replay.content(referralId, user.getName(), reason(request));
        Object shown = body;
        try {
            shown = JSON.readTree(body);
        } catch (java.io.IOException notJson) {
            // shown as the text it is
        }
        return Map.of("referralId", referralId, "content", shown);
    }

    @GetMapping("/journeys/{id}")
    public Map<String, Object> journey(@PathVariable String id) {
        List<Journey.Entry> steps = journey.ofIncident(id);
        String kind = "incident";
        if (steps.isEmpty()) {
            steps = journey.ofReferral(id);
            kind = "referral";
        }
        if (steps.isEmpty()) {
            throw new OpsException(404, "no incident or referral " + id + " in the journey");
        }
        return Map.of("id", id, "kind", kind, "steps", steps);
    }

    @GetMapping("/actions")
    public List<OperatorActions.Action> actions(@RequestParam(defaultValue = "50") int limit) {
        return actions.latest(Math.max(1, Math.min(limit, 1000)));
    }

    private static String reason(ActionRequest request) {
        if (request == null || request.reason() == null || request.reason().isBlank()) {
            throw new OpsException(400, "reason is required: say why (it is recorded with your name)");
        }
        return request.reason().strip();
    }

    @ExceptionHandler(OpsException.class)
    ResponseEntity<Map<String, Object>> refused(OpsException e) {
        LOG.info("Operations request refused with {}: {}", e.status(), e.getMessage());
        return ResponseEntity.status(e.status()).body(Map.of("status", e.status(), "reason", e.getMessage()));
    }

    @ExceptionHandler(org.springframework.http.converter.HttpMessageNotReadableException.class)
    ResponseEntity<Map<String, Object>> unreadable() {
        return refused(new OpsException(400, "the body must be JSON such as {\"messageId\": 123, \"reason\": \"why\"}"));
    }

    @ExceptionHandler(BrokerManagement.BrokerManagementException.class)
    ResponseEntity<Map<String, Object>> brokerUnavailable(BrokerManagement.BrokerManagementException e) {
        LOG.warn("Operations request failed: {}", e.getMessage());
        return ResponseEntity.status(503).body(Map.of("status", 503, "reason", e.getMessage()));
    }
}
