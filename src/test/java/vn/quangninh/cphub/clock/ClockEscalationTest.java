package vn.quangninh.cphub.clock;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.Test;

import vn.quangninh.cphub.HubTestSupport;
import vn.quangninh.cphub.PartnerClient;
import vn.quangninh.cphub.SinkDeliveries;
import vn.quangninh.cphub.model.Referral;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Decree 56 clocks on a real hub, with time moved by the test: a child in immediate danger starts the
 * 12-hour emergency clock for police and the commune officer; police accept in time and their clock stops;
 * the commune officer does not, and the supervisor is warned at 75 % and told of the breach at 12 hours —
 * once each. Operators see the clock over REST and in metrics.
 */
class ClockEscalationTest extends HubTestSupport {

    @org.springframework.beans.factory.annotation.Autowired
    io.micrometer.core.instrument.MeterRegistry meters;
    @org.springframework.beans.factory.annotation.Autowired
    org.apache.camel.CamelContext camel;
    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;
    @org.springframework.beans.factory.annotation.Autowired
    ClockFiring firing;
    @org.springframework.beans.factory.annotation.Autowired
    ReferralClocks referralClocks;

    /**
     * After a long outage every waiting referral's clocks are late at once: the report (which the Hawtio page polls)
     * counts them all but lists at most {@link ClocksEndpoint#LISTED}, those still before their deadline first. A
     * list of them all is what ran a 512 MB hub out of heap in the programme's report (bench/RESULTS.md).
     */
    @Test
    void theClocksReportCountsEveryLateClockAndListsOnlyTheFirst() throws Exception {
        java.time.Instant now = CLOCK.instant();
        int late = ClocksEndpoint.LISTED + 20;
        String near = UUID.randomUUID().toString();
        try {
            List<Object[]> rows = new java.util.ArrayList<>();
            for (int i = 0; i < late; i++) {
                // breached an hour ago and already escalated (warned_at, breached_at): the scan leaves them alone
                rows.add(new Object[] {UUID.randomUUID().toString(), ts(now.minusSeconds(3 * 3600)), ts(now.minusSeconds(2 * 3600)),
                        ts(now.minusSeconds(3600 - i)), ts(now.minusSeconds(7000)), ts(now.minusSeconds(3500))});
            }
            rows.add(new Object[] {near, ts(now.minusSeconds(3 * 3600)), ts(now.minusSeconds(60)), ts(now.plusSeconds(3600)),
                    ts(now.minusSeconds(30)), null});
            jdbc.batchUpdate("insert into referral_clock (referral_id, clock, incident_id, partner_id, stops_on, started_at, warn_at,"
                    + " deadline, warned_at, breached_at) values (?, 'bulk-test', 'bulk-test', 'police', 'delivered', ?, ?, ?, ?, ?)", rows);

            // counted in the background (cphub.clocks.count-interval, 500 ms here), not per request: wait for a count
            // begun after these rows were committed (earlier test classes' late clocks alone may outnumber these, so
            // a count of "enough" late clocks could be one from before)
            java.time.Instant inserted = CLOCK.instant();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                JsonNode counts = json(get("/actuator/clocks").body());
                return counts.hasNonNull("countedAt") && !java.time.Instant.parse(counts.get("countedAt").asText()).isBefore(inserted);
            });
            JsonNode report = json(get("/actuator/clocks").body());
            assertThat(report.get("breached").asLong()).as("every late clock counted").isGreaterThanOrEqualTo(late);
            assertThat(java.time.Instant.parse(report.get("countedAt").asText())).as("when they were counted").isAfterOrEqualTo(now);
            assertThat(report.get("nearBreach").asLong()).isGreaterThanOrEqualTo(1);
            assertThat(report.get("attention")).as("listed at most").hasSize(ClocksEndpoint.LISTED);
            List<String> listed = report.get("attention").findValuesAsText("referralId");
            assertThat(listed).as("a clock that can still be met is listed before the breached ones").contains(near);
            List<Boolean> stillBefore = new java.util.ArrayList<>();
            report.get("attention").forEach(c -> stillBefore.add(java.time.Instant.parse(c.get("deadline").asText()).isAfter(now)));
            assertThat(stillBefore.indexOf(false)).as("no clock before its deadline after a breached one")
                    .isGreaterThan(stillBefore.lastIndexOf(true));
        } finally {
            jdbc.update("delete from referral_clock where clock = 'bulk-test'");
        }
    }

    /**
     * Forty emergency clocks whose warnings are all due at once (20 emergencies posted together, two referrals each):
     * the scan claims them in one store transaction and sends their escalations on several threads. Each reaches the
     * supervisor once, none is lost, none is sent twice, and each stage is recorded as escalated.
     */
    @Test
    void aFloodOfStagesDueTogetherIsEscalatedOnceEach() throws Exception {
        List<String> referrals = new java.util.ArrayList<>();
        FloodAtTheSupervisor flood = new FloodAtTheSupervisor(40, referrals);
        try {
            insertDueWarnings(referrals, null);

            assertThat(flood.all.matches(60, TimeUnit.SECONDS)).as("every warning reaches the supervisor").isTrue();
            assertThat(flood.more.matches(3, TimeUnit.SECONDS)).as("several scans later: none went twice").isFalse();
            assertEachWarnedOnce(referrals);
        } finally {
            stop(referrals);
        }
    }

    /**
     * A hub claimed forty due stages in one transaction, sent the escalations of half of them, and died before it
     * recorded any (its claims and sends made here by hand). Once the claims lapse, a scan claims the whole wave
     * again and sends every escalation of it: the broker drops the twenty it already has (the same duplicate ids),
     * so the supervisor hears of each stage once, and the store records all forty.
     */
    @Test
    void aWaveSentByAHubThatDiedBeforeRecordingItIsSentAgainWholeOnceItsClaimsLapse() throws Exception {
        List<String> referrals = new java.util.ArrayList<>();
        FloodAtTheSupervisor flood = new FloodAtTheSupervisor(40, referrals);
        try {
            java.time.Instant claimedAt = CLOCK.instant();
            List<ReferralClocks.ClockState> clocks = insertDueWarnings(referrals, claimedAt);
            for (ReferralClocks.ClockState clock : clocks.subList(0, 20)) {
                assertThat(firing.send(new ReferralClocks.Claimed(new ClockStage(UUID.fromString(clock.referralId()), "emergency",
                        ClockStage.Stage.WARNING), clock, "delivered"))).isPresent();
            }
            java.util.Set<String> unsent = new java.util.HashSet<>();
            clocks.subList(20, 40).forEach(c -> unsent.add(c.referralId() + "/emergency/warning"));
            var unsentArrive = new org.apache.camel.builder.NotifyBuilder(camel).fromRoute("deliver-cp-supervisor*")
                    .filter(e -> unsent.contains(e.getProperty(vn.quangninh.cphub.HubHeaders.DELIVERY_KEY, String.class)))
                    .whenDone(1).create();
            assertThat(unsentArrive.matches(3, TimeUnit.SECONDS)).as("claimed by the hub that died: none goes before its claim lapses")
                    .isFalse();

            CLOCK.advance(ReferralClocks.CLAIM_LEASE.plusSeconds(1));
            assertThat(flood.all.matches(60, TimeUnit.SECONDS)).as("every warning reaches the supervisor").isTrue();
            assertThat(flood.more.matches(3, TimeUnit.SECONDS)).as("the twenty sent before: not a second time").isFalse();
            assertEachWarnedOnce(referrals);
        } finally {
            stop(referrals);
        }
    }

    /**
     * A store writer's batch holds five clocks of a wave (their row locks, as a batch of deliveries that stops clocks
     * holds them until it commits). The scan's claim takes the other 35 at once and counts the five as held (the
     * scan looks at them again soon); the writer then takes a sixth clock of the wave without waiting. The recorder
     * records the 34 free ones while the six are held, and the six once the writer lets go. A claim or a record that
     * waited for the held clocks while it held the others could close a deadlock with such a batch.
     */
    @Test
    void aWaveNeitherWaitsForTheClocksAStoreWriterHoldsNorHoldsUpTheWriter() throws Exception {
        List<String> referrals = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            referrals.add(UUID.randomUUID().toString());
        }
        // due an hour from now, so the running scan leaves them to this test
        List<ReferralClocks.ClockState> states = insertWarnings(referrals, CLOCK.instant().plusSeconds(3600), null);
        List<ClockStage> wave = referrals.stream().map(r -> new ClockStage(UUID.fromString(r), "emergency", ClockStage.Stage.WARNING)).toList();
        try (java.sql.Connection writer = jdbc.getDataSource().getConnection()) {
            writer.setAutoCommit(false);
            for (String referral : referrals.subList(0, 5)) {
                assertThat(lock(writer, referral)).isTrue();
            }

            ReferralClocks.Claims claims = referralClocks.claim(wave);
            assertThat(claims.held()).as("the clocks the writer holds").isEqualTo(5);
            assertThat(claims.claimed()).extracting(c -> c.stage().referralId().toString())
                    .containsExactlyInAnyOrderElementsOf(referrals.subList(5, 40));
            assertThat(lock(writer, referrals.get(5))).as("a clock of the wave just claimed: not held by the scan").isTrue();

            List<ClockFiring.Sent> sent = new java.util.ArrayList<>();
            for (int i = 0; i < referrals.size(); i++) {
                sent.add(new ClockFiring.Sent(wave.get(i), states.get(i)));
            }
            var recording = java.util.concurrent.CompletableFuture.runAsync(() -> firing.record(sent));
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                    .until(() -> warned(referrals.subList(6, 40)) == 34);
            assertThat(warned(referrals.subList(0, 6))).as("held by the writer").isZero();
            writer.rollback();
            recording.get(10, TimeUnit.SECONDS);
            assertThat(warned(referrals)).as("each recorded, the held ones once let go").isEqualTo(40);
            assertThat(jdbc.queryForObject("select count(*) from journey where step = 'ESCALATED' and referral_id in ("
                    + placeholders(referrals) + ")", Integer.class, referrals.toArray())).as("one journey step each").isEqualTo(40);
        } finally {
            stop(referrals);
        }
    }

    /**
     * The broker refuses a warning's escalation once (a broker plugin throws at its send, as a broker that is going
     * away does). The stage is given back and the scan tries it again after an interval: the supervisor hears of it
     * once, it is recorded once, and the operators' log says it could not be escalated then.
     */
    @Test
    void anEscalationTheBrokerRefusedIsSentAgainByALaterScan() throws Exception {
        List<String> referrals = new java.util.ArrayList<>();
        FloodAtTheSupervisor one = new FloodAtTheSupervisor(1, referrals);
        String refused = referrals.get(0);
        java.util.concurrent.atomic.AtomicInteger sends = new java.util.concurrent.atomic.AtomicInteger();
        org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin refuseTheFirstSend =
                new org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin() {
                    @Override
                    public void beforeSend(org.apache.activemq.artemis.core.server.ServerSession session,
                                           org.apache.activemq.artemis.core.transaction.Transaction tx,
                                           org.apache.activemq.artemis.api.core.Message message, boolean direct,
                                           boolean noAutoCreateQueue) throws org.apache.activemq.artemis.api.core.ActiveMQException {
                        if ((refused + "/emergency/warning").equals(String.valueOf(message.getDuplicateProperty()))
                                && sends.incrementAndGet() == 1) {
                            throw new org.apache.activemq.artemis.api.core.ActiveMQException("refused by the test");
                        }
                    }
                };
        broker.getActiveMQServer().registerBrokerPlugin(refuseTheFirstSend);
        try (vn.quangninh.cphub.LogRecorder log = vn.quangninh.cphub.LogRecorder.of(ClockScan.class)) {
            insertDueWarnings(referrals, null);
            assertThat(one.all.matches(30, TimeUnit.SECONDS)).as("the warning reaches the supervisor").isTrue();
            assertThat(sends.get()).as("sends of it: refused, then taken").isEqualTo(2);
            assertThat(one.more.matches(2, TimeUnit.SECONDS)).as("not twice").isFalse();
            assertEachWarnedOnce(referrals);
            assertThat(log.messages()).anySatisfy(m -> assertThat(m).contains(refused).contains("could not be escalated now"));
        } finally {
            broker.getActiveMQServer().unRegisterBrokerPlugin(refuseTheFirstSend);
            stop(referrals);
        }
    }

    /** Locks a referral's emergency clock in the writer's transaction, as a store writer's batch that stops it does. */
    private static boolean lock(java.sql.Connection writer, String referralId) throws java.sql.SQLException {
        try (var select = writer.prepareStatement("select clock from referral_clock where referral_id = ? and clock = 'emergency' for update")) {
            select.setQueryTimeout(5);
            select.setString(1, referralId);
            return select.executeQuery().next();
        }
    }

    private int warned(List<String> referrals) {
        return jdbc.queryForObject("select count(*) from referral_clock where clock = 'emergency' and warned_at is not null"
                + " and referral_id in (" + placeholders(referrals) + ")", Integer.class, referrals.toArray());
    }

    /** The deliveries to the supervisor of the warnings of {@code count} clocks, counted from before they are made. */
    private final class FloodAtTheSupervisor {
        final org.apache.camel.builder.NotifyBuilder all;
        final org.apache.camel.builder.NotifyBuilder more;

        FloodAtTheSupervisor(int count, List<String> referrals) {
            for (int i = 0; i < count; i++) {
                referrals.add(UUID.randomUUID().toString());
            }
            java.util.Set<String> keys = new java.util.HashSet<>();
            referrals.forEach(r -> keys.add(r + "/emergency/warning"));
            org.apache.camel.Predicate ofTheFlood = e -> keys.contains(e.getProperty(vn.quangninh.cphub.HubHeaders.DELIVERY_KEY, String.class));
            all = new org.apache.camel.builder.NotifyBuilder(camel).fromRoute("deliver-cp-supervisor*").filter(ofTheFlood)
                    .whenDone(count).create();
            more = new org.apache.camel.builder.NotifyBuilder(camel).fromRoute("deliver-cp-supervisor*").filter(ofTheFlood)
                    .whenDone(count + 1).create();
        }
    }

    /**
     * An emergency clock for each referral whose warning came due a second ago (its deadline an hour ahead), claimed
     * at {@code claimedAt} by a hub (null: by none).
     */
    private List<ReferralClocks.ClockState> insertDueWarnings(List<String> referrals, java.time.Instant claimedAt) {
        return insertWarnings(referrals, CLOCK.instant().minusSeconds(1), claimedAt);
    }

    /** An emergency clock for each referral whose warning comes due at {@code warnAt}, its deadline an hour later. */
    private List<ReferralClocks.ClockState> insertWarnings(List<String> referrals, java.time.Instant warnAt, java.time.Instant claimedAt) {
        List<ReferralClocks.ClockState> clocks = new java.util.ArrayList<>();
        for (String referral : referrals) {
            clocks.add(new ReferralClocks.ClockState(referral, UUID.randomUUID().toString(), "police", "emergency",
                    warnAt.minusSeconds(9 * 3600), warnAt, warnAt.plusSeconds(3601), null, null, null, null));
        }
        jdbc.batchUpdate("insert into referral_clock (referral_id, clock, incident_id, partner_id, stops_on, started_at, warn_at,"
                + " deadline, warn_claimed_at) values (?, 'emergency', ?, 'police', 'ACCEPTED', ?, ?, ?, ?)", clocks.stream()
                .map(c -> new Object[] {c.referralId(), c.incidentId(), ts(c.startedAt()), ts(c.warnAt()), ts(c.deadline()),
                        claimedAt == null ? null : ts(claimedAt)})
                .toList());
        return clocks;
    }

    private void assertEachWarnedOnce(List<String> referrals) {
        for (String referral : referrals) {
            assertThat(escalations(referral, "emergency", "warning")).as("the warning of %s", referral).hasSize(1);
            assertThat(escalations(referral, "emergency", "breach")).isEmpty();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(jdbc.queryForObject("select count(*) from"
                + " referral_clock where clock = 'emergency' and warned_at is not null and referral_id in (" + placeholders(referrals)
                + ")", Integer.class, referrals.toArray())).as("each recorded as warned").isEqualTo(referrals.size()));
    }

    private void stop(List<String> referrals) {
        List<Object> arguments = new java.util.ArrayList<>();
        arguments.add(ts(CLOCK.instant()));
        arguments.addAll(referrals);
        jdbc.update("update referral_clock set stopped_at = ?, stopped_by = 'ACCEPTED' where referral_id in ("
                + placeholders(referrals) + ")", arguments.toArray());
    }

    private static String placeholders(List<String> values) {
        return String.join(",", java.util.Collections.nCopies(values.size(), "?"));
    }

    private static java.sql.Timestamp ts(java.time.Instant instant) {
        return java.sql.Timestamp.from(instant);
    }

    @Test
    void anEmergencyClockWarnsThenBreachesOnceAndAnAcceptedOneStops() throws Exception {
        ObjectNode danger = incident(newEventId());
        danger.put("priority", 1);
        String incidentId = json(postIncident(danger).body()).get("incidentId").asText();
        String police = Referral.idFor(UUID.fromString(incidentId), "police").toString();
        String social = Referral.idFor(UUID.fromString(incidentId), "social-affairs").toString();
        // (other test classes may have moved the shared clock past many deadlines: their escalations share the hub)
        await().atMost(Duration.ofSeconds(60)).until(() -> delivered("/intake", police) && delivered(SOCIAL_AFFAIRS_PATH, social));

        assertThat(new PartnerClient(port).post("/api/v1/referrals/" + police + "/status", "police", "police-dev-secret",
                "application/json", "{\"status\":\"accepted\"}".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);

        // moving the shared clock 9.5 hours also brings every earlier test class's clocks due (the abuse corpus alone
        // left hundreds of referrals): the scan escalates them all, one by one, this one among them
        // (a CI run saw more than 1,400 of them go in the 15 s this test then waited); so the wait is long, not a speed
        CLOCK.advance(Duration.ofHours(9).plusMinutes(30));
        await().atMost(Duration.ofSeconds(90)).until(() -> escalations(social, "emergency", "warning").size() == 1);
        JsonNode warning = json(escalations(social, "emergency", "warning").get(0).getBodyAsString());
        assertThat(warning.get("recipient").asText()).isEqualTo("social-affairs");
        assertThat(warning.get("incidentId").asText()).isEqualTo(incidentId);
        assertThat(warning.get("minutesLeft").asLong()).isBetween(140L, 150L);
        assertThat(warning.toString()).as("ids and times only").doesNotContain("Synthetic");

        JsonNode attention = json(get("/actuator/clocks").body());
        assertThat(attention.get("attention").findValuesAsText("referralId")).contains(social).doesNotContain(police);
        assertThat(json(get("/actuator/clocks/" + incidentId).body()).findValuesAsText("stoppedBy"))
                .as("forward stopped by the delivery; police's clocks by their acceptance").contains("DELIVERED", "ACCEPTED");

        SinkDeliveries breach = SinkDeliveries.of(camel, "deliver-cp-supervisor*", social + "/emergency/breach");
        CLOCK.advance(Duration.ofHours(3));
        assertThat(breach.firstWithin(Duration.ofSeconds(90))).as("the breach reaches the supervisor").isTrue();
        assertThat(breach.noSecondWithin(Duration.ofSeconds(2))).as("several polling rounds: it does not fire twice").isTrue();
        assertThat(escalations(social, "emergency", "breach")).hasSize(1);
        assertThat(escalations(social, "emergency", "warning")).hasSize(1);
        assertThat(escalations(police, "emergency", "warning")).as("police accepted in time").isEmpty();
        assertThat(escalations(police, "emergency", "breach")).isEmpty();
        assertThat(escalations(social, "forward", "breach")).as("delivered within the hour").isEmpty();

        // (tests run without the Prometheus exporter: the same meters, read from the registry)
        await().atMost(Duration.ofSeconds(10)).until(() -> meters.get("cphub.clocks.breached").gauge().value() >= 1);
        assertThat(meters.get("cphub.clocks.escalations").tags("clock", "emergency", "stage", "breach").counter().count())
                .isGreaterThanOrEqualTo(1);
    }

    private boolean delivered(String path, String referralId) {
        return !POLICE.findAll(postRequestedFor(urlEqualTo(path)).withHeader("Idempotency-Key", equalTo(referralId))).isEmpty();
    }

    private static List<LoggedRequest> escalations(String referralId, String clock, String stage) {
        return POLICE.findAll(postRequestedFor(urlEqualTo(SUPERVISOR_PATH))
                .withHeader("X-CPHub-Message-Kind", equalTo("clock-escalation"))
                .withRequestBody(matchingJsonPath("$.referralId", equalTo(referralId)))
                .withRequestBody(matchingJsonPath("$.clock", equalTo(clock)))
                .withRequestBody(matchingJsonPath("$.stage", equalTo(stage))));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("viewer:viewer-dev".getBytes(StandardCharsets.UTF_8)))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
