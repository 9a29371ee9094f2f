package vn.quangninh.cphub.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import vn.quangninh.cphub.HubTestSupport;
import vn.quangninh.cphub.SharedStoreHubs;
import vn.quangninh.cphub.referral.DeliveryRecordingRace;
import vn.quangninh.cphub.store.Journey.Step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The store on PostgreSQL (127.0.0.1:5432, database test) by settings alone: Flyway creates the tables,
 * the journey and the source-event idempotency live there.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class PostgresStoreTest extends HubTestSupport {

    @Autowired
    DataSource dataSource;

    @Autowired
    H2FileSync h2FileSync;

    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test?currentSchema=cphub_store_test";
    private static final String USER = System.getenv().getOrDefault("CPHUB_TEST_PG_USER", "postgres");

    @DynamicPropertySource
    static void onPostgres(DynamicPropertyRegistry registry) throws Exception {
        secondHub(registry, "cphub-postgres", 7, false);
        registry.add("CPHUB_DB_URL", () -> URL);
        registry.add("CPHUB_DB_USER", () -> USER);
        registry.add("CPHUB_DB_POOL_SIZE", () -> SharedStoreHubs.POOL_SIZE);
        registry.add("spring.flyway.schemas", () -> "cphub_store_test");
        registry.add("spring.flyway.create-schemas", () -> "true");
    }

    @BeforeAll
    static void freshSchema() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", USER, "")) {
            c.createStatement().execute("drop schema if exists cphub_store_test cascade");
        }
    }

    @Test
    void theH2FileSyncIsNotRunOnPostgres() {
        assertThat(h2FileSync.isRunning()).isFalse();
    }

    @Test
    void journeyAndIdempotencyAreKeptInPostgres() throws Exception {
        String eventId = newEventId();
        String incidentId = json(postIncident(incident(eventId)).body()).get("incidentId").asText();
        postIncident(incident(eventId));

        await().atMost(Duration.ofSeconds(20)).until(() -> steps(incidentId).contains(Step.DELIVERED)
                && steps(incidentId).contains(Step.DUPLICATE));

        try (Connection c = DriverManager.getConnection(URL, USER, "")) {
            ResultSet journeyRows = c.createStatement().executeQuery(
                    "select count(*) from cphub_store_test.journey where incident_id = '" + incidentId + "'");
            journeyRows.next();
            assertThat(journeyRows.getInt(1)).isGreaterThanOrEqualTo(5);
            ResultSet taken = c.createStatement().executeQuery(
                    "select count(*) from cphub_store_test.camel_messageprocessed where messageid = 'hotline-crm/" + eventId + "'");
            taken.next();
            assertThat(taken.getInt(1)).isEqualTo(1);
            // the statistics' facts of the report, once though it was posted twice
            ResultSet facts = c.createStatement().executeQuery(
                    "select count(*), max(age_group) from cphub_store_test.incident_fact where incident_id = '" + incidentId + "'");
            facts.next();
            assertThat(facts.getInt(1)).isEqualTo(1);
            assertThat(facts.getString(2)).isEqualTo("6-10");
            ResultSet migrations = c.createStatement().executeQuery(
                    "select count(*) from cphub_store_test.flyway_schema_history where success");
            migrations.next();
            assertThat(migrations.getInt(1)).isGreaterThanOrEqualTo(1);
        }
        assertThat(policeRequestsForEvent(eventId)).hasSize(1);
    }

    /** A recipient's reports on PostgreSQL: the sql: steps of routes/referral-status-updates.camel.yaml, a case number and none. */
    @Test
    void aRecipientsStatusReportsAreRecordedInPostgres() throws Exception {
        String eventId = newEventId();
        String incidentId = json(postIncident(incident(eventId)).body()).get("incidentId").asText();
        String police = vn.quangninh.cphub.model.Referral.idFor(java.util.UUID.fromString(incidentId), "police").toString();
        await().atMost(Duration.ofSeconds(20)).until(() -> steps(incidentId).contains(Step.DELIVERED));

        var client = new vn.quangninh.cphub.PartnerClient(port);
        var accepted = client.post("/api/v1/referrals/" + police + "/status", "police", "police-dev-secret", "application/json",
                "{\"status\":\"accepted\",\"caseId\":\"CA-PG-0001\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        var closed = client.post("/api/v1/referrals/" + police + "/status", "police", "police-dev-secret", "application/json",
                "{\"status\":\"closed\",\"reason\":\"handed to the court\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(closed.statusCode()).as(closed.body()).isEqualTo(200);

        try (Connection c = DriverManager.getConnection(URL, USER, "")) {
            ResultSet referral = c.createStatement().executeQuery(
                    "select status, partner_case_id from cphub_store_test.referral where referral_id = '" + police + "'");
            referral.next();
            assertThat(referral.getString(1)).isEqualTo("CLOSED");
            assertThat(referral.getString(2)).as("the case number kept when the next report has none").isEqualTo("CA-PG-0001");
            ResultSet history = c.createStatement().executeQuery(
                    "select count(*) from cphub_store_test.referral_status_update where referral_id = '" + police + "'");
            history.next();
            assertThat(history.getInt(1)).isEqualTo(2);
        }
    }

    /** The report that meets the hub recording the delivery, on PostgreSQL: its update waits on the row, then is taken. */
    @Test
    void aReportThatMeetsTheHubRecordingTheDeliveryIsTakenInPostgres() throws Exception {
        String incidentId = json(postIncident(incident(newEventId())).body()).get("incidentId").asText();
        String police = vn.quangninh.cphub.model.Referral.idFor(java.util.UUID.fromString(incidentId), "police").toString();
        await().atMost(Duration.ofSeconds(20)).until(() -> steps(incidentId).contains(Step.DELIVERED));

        var client = new vn.quangninh.cphub.PartnerClient(port);
        var answer = DeliveryRecordingRace.onPostgres(dataSource).report(police, () -> client.post(
                "/api/v1/referrals/" + police + "/status", "police", "police-dev-secret", "application/json",
                "{\"status\":\"received\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        try (Connection c = DriverManager.getConnection(URL, USER, "")) {
            ResultSet referral = c.createStatement().executeQuery(
                    "select status from cphub_store_test.referral where referral_id = '" + police + "'");
            referral.next();
            assertThat(referral.getString(1)).isEqualTo("RECEIVED");
        }
    }
}
