package vn.quangninh.cphub.connector;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.partner.PartnerRegistry;
import vn.quangninh.cphub.security.Hmac;

/**
 * Authenticates the hub to an agency's webhook, from the {@code auth} sink parameter of the partner in
 * config/partners.yaml — read here, so that no secret appears in a route definition (Hawtio shows those):
 * <ul>
 *   <li>{@code bearer}: {@code Authorization: Bearer <token>};</li>
 *   <li>{@code basic}: {@code Authorization: Basic base64(username:password)};</li>
 *   <li>{@code hmac}: {@code X-CPHub-Timestamp: <unix seconds>} and
 *       {@code X-CPHub-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>};</li>
 *   <li>{@code none}: nothing (mutual TLS, or a private network).</li>
 * </ul>
 */
@Component("webhookAuthentication")
public class WebhookAuthentication {

    public static final String TIMESTAMP = "X-CPHub-Timestamp";
    public static final String SIGNATURE = "X-CPHub-Signature";

    private final PartnerRegistry partners;
    private final Clock clock;

    public WebhookAuthentication(PartnerRegistry partners, Clock clock) {
        this.partners = partners;
        this.clock = clock;
    }

    public void authenticate(Exchange exchange, String partnerId) {
        Map<?, ?> auth = (Map<?, ?>) partners.find(partnerId).orElseThrow().sink().parameters().get("auth");
        Message message = exchange.getMessage();
        switch (String.valueOf(auth.get("type"))) {
            case "bearer" -> message.setHeader("Authorization", "Bearer " + auth.get("token"));
            case "basic" -> message.setHeader("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (auth.get("username") + ":" + auth.get("password")).getBytes(StandardCharsets.UTF_8)));
            // an API key or any scheme that is one header with a fixed value (agency-webhook.kamelet.yaml's definition keeps it
            // off the headers the hub sets itself)
            case "header" -> message.setHeader(String.valueOf(auth.get("name")), String.valueOf(auth.get("value")));
            case "hmac" -> {
                String timestamp = String.valueOf(clock.instant().getEpochSecond());
                String body = message.getBody(String.class);
                message.setHeader(TIMESTAMP, timestamp);
                message.setHeader(SIGNATURE, "sha256=" + Hmac.sha256Hex(String.valueOf(auth.get("secret")), timestamp + "." + body));
            }
            default -> {
                // none
            }
        }
    }
}
