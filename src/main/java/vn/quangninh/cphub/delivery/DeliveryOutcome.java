package vn.quangninh.cphub.delivery;

import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;


/**
 * Reads a partner's HTTP answer to a referral: 2xx is delivered; 408, 429 and 5xx are worth another
 * attempt; any other status means the partner will never take this message. The partner's answer body is
 * not kept: it may echo the referral's data, and DLQ message properties are visible to console viewers.
 */
@Component("deliveryOutcome")
public class DeliveryOutcome implements Processor {

    /** Statuses that say "not now" rather than "never". */
    static final Set<Integer> RETRYABLE_4XX = Set.of(408, 425, 429);

    @Override
    public void process(Exchange exchange) {
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (status >= 200 && status < 300) {
            return;
        }
        boolean retryable = status >= 500 || RETRYABLE_4XX.contains(status);
        throw new DeliveryFailedException(status, retryable, "partner answered HTTP " + status);
    }
}
