package vn.quangninh.cphub.incident;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import vn.quangninh.cphub.HubTestSupport;
import vn.quangninh.cphub.model.Referral;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Incidents about the same child — from the hotline and from another agency, the name written differently
 * — or at the same site are linked, and the link travels with the later referral; the store holds only
 * keyed hashes.
 */
class IncidentLinkingTest extends HubTestSupport {

    /** cphub.linking.max-links, default. */
    private static final int MAX_LINKS = 20;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void theSameChildReportedOnTwoChannelsIsLinkedAndPoliceSeeTheLink() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        ObjectNode call = incident(newEventId());
        child(call, "Synthetic Child Đào " + tag, "2016-03-01", "SR-" + tag);
        String first = json(postIncident(call).body()).get("incidentId").asText();
        await().atMost(Duration.ofSeconds(15)).until(() -> delivered("/intake", first, "police") != null);

        ObjectNode report = incident(newEventId());
        report.with("source").put("system", "social-affairs").put("channel", "partner");
        report.remove("reporter");
        child(report, "  synthetic CHILD dao " + tag.toUpperCase(), "2016-03-01", null);
        var answer = postIncident("social-affairs", "social-affairs-dev-secret", "application/json",
                report.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(answer.statusCode()).isEqualTo(202);
        String second = json(answer.body()).get("incidentId").asText();
        await().atMost(Duration.ofSeconds(15)).until(() -> delivered("/intake", second, "police") != null);

        JsonNode links = delivered("/intake", second, "police").get("linkedIncidents");
        assertThat(links).hasSize(1);
        assertThat(links.get(0).get("incidentId").asText()).isEqualTo(first);
        assertThat(links.get(0).get("reason").asText()).isEqualTo("same-child");
        assertThat(links.get(0).get("channel").asText()).isEqualTo("hotline");
        assertThat(delivered("/intake", first, "police").has("linkedIncidents")).as("the first had nothing to link to").isFalse();

        assertThat(jdbc.queryForList("select link_key from incident_link_key where incident_id = ?", String.class, second))
                .as("hashes only").allMatch(k -> k.matches("[0-9a-f]{64}"));
    }

    @Test
    void reportsAboutTheSameSiteAreLinkedDifferentChildrenElsewhereAreNot() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        ObjectNode atSchool = incident(newEventId());
        child(atSchool, "Synthetic Child One " + tag, "2015-01-01", null);
        atSchool.with("location").put("siteId", "school-" + tag);
        String first = json(postIncident(atSchool).body()).get("incidentId").asText();

        ObjectNode sameSchool = incident(newEventId());
        child(sameSchool, "Synthetic Child Two " + tag, "2014-02-02", null);
        sameSchool.with("location").put("siteId", "school-" + tag);
        String second = json(postIncident(sameSchool).body()).get("incidentId").asText();

        ObjectNode elsewhere = incident(newEventId());
        child(elsewhere, "Synthetic Child Three " + tag, "2013-03-03", null);
        String third = json(postIncident(elsewhere).body()).get("incidentId").asText();

        await().atMost(Duration.ofSeconds(15)).until(() -> delivered("/intake", second, "police") != null
                && delivered("/intake", third, "police") != null && delivered("/intake", first, "police") != null);
        JsonNode links = delivered("/intake", second, "police").get("linkedIncidents");
        assertThat(links.findValuesAsText("incidentId")).containsExactly(first);
        assertThat(links.get(0).get("reason").asText()).isEqualTo("same-site");
        assertThat(delivered("/intake", third, "police").has("linkedIncidents")).isFalse();
    }

    @Test
    void aChildReportedAgainAndAgainCarriesOnlyTheMostRecentLinks() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String first = reportTheSameChild(tag);
        awaitAtPolice(List.of(first));

        List<String> recent = new ArrayList<>();
        for (int i = 0; i < MAX_LINKS; i++) {
            recent.add(reportTheSameChild(tag));
        }
        awaitAtPolice(recent);

        String last = reportTheSameChild(tag);
        awaitAtPolice(List.of(last));
        JsonNode links = delivered("/intake", last, "police").get("linkedIncidents");
        assertThat(links.findValuesAsText("incidentId")).as("the %d most recent, not the oldest", MAX_LINKS)
                .hasSize(MAX_LINKS).containsExactlyInAnyOrderElementsOf(recent).doesNotContain(first, last);
    }

    /** Posts a report about the child of this tag (the same school-roll number each time); its incident id. */
    private String reportTheSameChild(String tag) throws Exception {
        ObjectNode report = incident(newEventId());
        child(report, "Synthetic Child Often " + tag, "2016-05-05", "SR-" + tag);
        return json(postIncident(report).body()).get("incidentId").asText();
    }

    private static void awaitAtPolice(List<String> incidentIds) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (String id : incidentIds) {
                if (delivered("/intake", id, "police") == null) {
                    return false;
                }
            }
            return true;
        });
    }

    private static void child(ObjectNode incident, String name, String birthDate, String schoolRoll) {
        ObjectNode victim = (ObjectNode) incident.withArray("subjects").get(0);
        victim.put("name", name).put("birthDate", birthDate);
        victim.remove("identifiers");
        if (schoolRoll != null) {
            victim.withArray("identifiers").addObject().put("system", "school-roll").put("value", schoolRoll);
        }
    }

    private static JsonNode delivered(String path, String incidentId, String partner) throws Exception {
        String referral = Referral.idFor(UUID.fromString(incidentId), partner).toString();
        var found = POLICE.findAll(postRequestedFor(urlEqualTo(path)).withHeader("Idempotency-Key", equalTo(referral)));
        return found.isEmpty() ? null : json(found.get(0).getBodyAsString());
    }
}
