package vn.quangninh.cphub;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;

/**
 * One WireMock server standing for every partner a packaged hub ({@link HubProcess}) delivers to: police intake at
 * {@code /intake}, each agency webhook of config/partners.yaml under {@code /agency/<partner>}. What the tests that
 * run the packaged hub share: the hub's settings that point there, the partners' answers, and what police took.
 */
public final class PartnerStub {

    private static final String POLICE_INTAKE = "/intake";

    private PartnerStub() {
    }

    /**
     * The hub's settings that send police's and every agency's deliveries to {@code stub}. A new mutable map, for
     * the test's own settings on top.
     */
    public static Map<String, String> hubSettings(WireMockServer stub) {
        String base = stub.baseUrl();
        Map<String, String> settings = new HashMap<>();
        settings.put("POLICE_INTAKE_URL", base + POLICE_INTAKE);
        settings.put("SOCIAL_AFFAIRS_WEBHOOK_URL", base + "/agency/social-affairs");
        settings.put("HOTLINE_CRM_WEBHOOK_URL", base + "/agency/hotline-crm");
        settings.put("HOSPITAL_BAICHAY_WEBHOOK_URL", base + "/agency/hospital-baichay");
        settings.put("CP_SUPERVISOR_WEBHOOK_URL", base + "/agency/cp-supervisor");
        return settings;
    }

    /**
     * Police intake answers {@code police}, every agency {@code agencies}. Called again, the new answers win
     * (WireMock takes the newest stub of the same priority); a test's own stubs at a higher priority still come first.
     */
    public static void answer(WireMockServer stub, ResponseDefinitionBuilder police, ResponseDefinitionBuilder agencies) {
        stub.stubFor(post(urlEqualTo(POLICE_INTAKE)).willReturn(police));
        stub.stubFor(post(urlMatching("/agency/.*")).willReturn(agencies));
    }

    /**
     * What police took: the bodies it answered with a 2xx, under each delivery's Idempotency-Key. A key with more
     * than one body is a source event with two effects.
     */
    public static Map<String, Set<String>> deliveredToPolice(WireMockServer stub) {
        Map<String, Set<String>> bodies = new HashMap<>();
        for (ServeEvent event : stub.getAllServeEvents()) {
            int status = event.getResponse().getStatus();
            if (event.getRequest().getUrl().equals(POLICE_INTAKE) && status >= 200 && status < 300) {
                bodies.computeIfAbsent(event.getRequest().getHeader("Idempotency-Key"), k -> new HashSet<>())
                        .add(event.getRequest().getBodyAsString());
            }
        }
        return bodies;
    }
}
