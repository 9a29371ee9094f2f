package vn.quangninh.cphub.web;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Before Camel runs (and while it stops) no connector path is known yet: a partner's request gets 503 with
 * Retry-After, to send again, while the console's paths stay the console's.
 */
class NotServingYetTest {

    private final PartnerHttpPaths paths = new PartnerHttpPaths(); // Camel not started

    @Test
    void aPartnersRequestWhileTheHubStartsGets503ToRetry() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/incidents");
        assertThat(paths.isPartnerRequest(request)).isTrue();
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        new NotServingYet(paths).doFilter(request, response, chain);
        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeader("Retry-After")).isEqualTo("5");
        assertThat(response.getContentAsString()).contains("\"error\":\"starting\"");
        assertThat(chain.getRequest()).as("not passed on").isNull();
    }

    @Test
    void theConsolesPathsAreNeverAPartnersEvenWhileStarting() {
        for (String path : new String[] {"/hawtio", "/hawtio/index.html", "/actuator/health", "/actuator/jolokia/read",
                "/api/ops/v1/partners", "/login", "/console/evidence/x"}) {
            assertThat(paths.isPartnerRequest(new MockHttpServletRequest("GET", path))).as(path).isFalse();
        }
        assertThat(paths.isPartnerRequest(new MockHttpServletRequest("GET", "/hawtiox"))).isTrue();
    }

    @Test
    void theSchemasAreServedWhileStarting() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/schema/incident-v1.json");
        assertThat(paths.isPartnerRequest(request)).isTrue();
        assertThat(PartnerHttpPaths.isDocument(new MockHttpServletRequest("GET", "/api/v1/openapi.yaml"))).isTrue();
        assertThat(PartnerHttpPaths.isDocument(new MockHttpServletRequest("GET", "/api/ops/v1/openapi.yaml"))).isFalse();
        MockFilterChain chain = new MockFilterChain();
        new NotServingYet(paths).doFilter(request, new MockHttpServletResponse(), chain);
        assertThat(chain.getRequest()).as("passed on to the documents").isNotNull();
    }
}
