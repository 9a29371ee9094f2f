package vn.quangninh.cphub.hotline;

import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.intake.IntakeRejectedException;
import vn.quangninh.cphub.intake.Refusal;

/**
 * The SIP edge's reading of a refusal (routes/errors-sip-intake.camel.yaml): the SIP status the PBX is answered
 * with. SIP has no 422: a call event that does not fit is a 400, as one that does not read. A wrong sign-in is
 * challenged by the SIP component itself (digest, 401); what reaches here as unauthenticated is a 403.
 */
@Component("sipAnswers")
public class SipAnswers {

    public int status(Exchange exchange) {
        return status(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, IntakeRejectedException.class).refusal());
    }

    static int status(Refusal refusal) {
        return switch (refusal) {
            case MALFORMED, INVALID -> 400;
            case UNAUTHENTICATED, NOT_PERMITTED -> 403;
            case TOO_LARGE -> 413;
            case UNSUPPORTED -> 415;
            case RATE_LIMITED -> 503;
        };
    }
}
