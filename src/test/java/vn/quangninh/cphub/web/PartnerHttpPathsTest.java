package vn.quangninh.cphub.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import ch.qos.logback.classic.Level;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import vn.quangninh.cphub.HubTestSupport;
import vn.quangninh.cphub.LogRecorder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A partner's path is whatever a connector's route serves: a route added to the running hub at a path no Java
 * names is reached without a console login (its own authentication is the route's), with the raw-body shielding
 * of every intake path, and once the route is gone the path is the console's again. A route may not take a
 * console path: it stays behind the login, and the error says so.
 */
class PartnerHttpPathsTest extends HubTestSupport {

    private static final String NEW_PATH = "/partners/ngo-lantern/reports";

    @Autowired
    CamelContext camel;

    @Test
    void aNewConnectorsPathIsAPartnersPathWhileItsRouteRuns() throws Exception {
        assertThat(post(NEW_PATH, "application/json").statusCode())
                .as("before the route: the console's, behind its login").isIn(401, 403);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("platform-http:" + NEW_PATH + "?httpMethodRestrict=POST").routeId("ngo-lantern-test")
                        .setHeader(org.apache.camel.Exchange.HTTP_RESPONSE_CODE, constant(202))
                        .setBody(simple("seen as ${header.Content-Type}"));
            }
        });
        try {
            HttpResponse<String> form = post(NEW_PATH, "application/x-www-form-urlencoded");
            assertThat(form.statusCode()).as(form.body()).isEqualTo(202);
            // RawBodyFilter shields a form body on a partner's path: the route gets opaque bytes, not parsed fields
            assertThat(form.body()).isEqualTo("seen as application/octet-stream");
        } finally {
            camel.getRouteController().stopRoute("ngo-lantern-test");
            camel.removeRoute("ngo-lantern-test");
        }
        assertThat(post(NEW_PATH, "application/json").statusCode())
                .as("route removed: the console's again").isIn(401, 403);
    }

    @Test
    void aRouteThatTakesEveryPathBelowItsOwnServesThemAll() throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("platform-http:/partners/ngo-beacon?matchOnUriPrefix=true&httpMethodRestrict=POST")
                        .routeId("ngo-beacon-test")
                        .setHeader(org.apache.camel.Exchange.HTTP_RESPONSE_CODE, constant(202)).setBody(constant("taken"));
            }
        });
        try {
            HttpResponse<String> below = post("/partners/ngo-beacon/2026/reports", "application/json");
            assertThat(below.statusCode()).as(below.body()).isEqualTo(202);
        } finally {
            camel.getRouteController().stopRoute("ngo-beacon-test");
            camel.removeRoute("ngo-beacon-test");
        }
    }

    @Test
    void aRouteCannotTakeAConsolePath() throws Exception {
        LogRecorder errors = LogRecorder.of(PartnerHttpPaths.class);
        try {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("platform-http:/api/ops/v1/partner-door").routeId("console-door-test").setBody(constant("open"));
                }
            });
            assertThat(post("/api/ops/v1/partner-door", "application/json").statusCode())
                    .as("still behind the console's login").isIn(401, 403);
            assertThat(errors.events()).anySatisfy(e -> {
                assertThat(e.getLevel()).isEqualTo(Level.ERROR);
                assertThat(e.getFormattedMessage()).contains("/api/ops/v1/partner-door", "a path of the console");
            });
        } finally {
            errors.close();
            camel.getRouteController().stopRoute("console-door-test");
            camel.removeRoute("console-door-test");
        }
    }

    private HttpResponse<String> post(String path, String contentType) throws Exception {
        // a client per request: no pooled connection the hub closed after a refusal
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString("a=1")).build(), HttpResponse.BodyHandlers.ofString());
    }
}
