package vn.quangninh.cphub.intake;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubHeaders;
import vn.quangninh.cphub.HubProperties;

/**
 * Checks what can be checked before a body is parsed: it must be JSON and at most
 * {@code cphub.intake.max-body-size}; reads the raw bytes without ever holding more than the limit.
 */
@Component("intakeRequestGuard")
public class IntakeRequestGuard {

    /** How much of an oversize body is kept for operators. */
    static final int OVERSIZE_KEPT_BYTES = 64 * 1024;

    private final long maxBodySize;

    public IntakeRequestGuard(HubProperties hub) {
        this.maxBodySize = hub.intake().maxBodySize().toBytes();
    }

    /**
     * Takes the raw bytes {@link RawBodyFilter} kept (text of one ISO-8859-1 character per byte) into
     * {@link IntakeHeaders#RAW_BODY}: done first, so that even a request refused for its credentials is kept
     * for operators. An oversize body keeps its first {@value #OVERSIZE_KEPT_BYTES} bytes.
     */
    public void readBody(Exchange exchange) {
        String text = exchange.getMessage().getBody(String.class);
        byte[] body = text == null ? new byte[0] : text.getBytes(StandardCharsets.ISO_8859_1);
        boolean oversize = "true".equals(exchange.getMessage().getHeader(RawBodyFilter.TRUNCATED, String.class))
                || body.length > maxBodySize;
        exchange.setProperty(HubHeaders.RAW_BODY,
                oversize ? Arrays.copyOf(body, Math.min(body.length, OVERSIZE_KEPT_BYTES)) : body);
        exchange.setProperty(HubHeaders.RAW_BODY_TRUNCATED, oversize);
        exchange.getMessage().setBody(null);
    }

    /** 413 for a body over the limit, 415 for anything but JSON (or FHIR JSON) in UTF-8, 400 for an empty body. */
    public void check(Exchange exchange) {
        if (exchange.getProperty(HubHeaders.RAW_BODY_TRUNCATED, false, Boolean.class)) {
            throw new IntakeRejectedException(Refusal.TOO_LARGE, "too_large",
                    "The body is larger than the limit of " + maxBodySize + " bytes");
        }
        String contentType = exchange.getMessage().getHeader(RawBodyFilter.ORIGINAL_CONTENT_TYPE,
                exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class), String.class);
        if (contentType != null && contentType.isBlank()) {
            contentType = null;
        }
        if (!isJson(contentType)) {
            throw new IntakeRejectedException(Refusal.UNSUPPORTED, "unsupported_media_type",
                    "Send the incident as application/json (UTF-8); got " + (contentType == null ? "no Content-Type" : "'" + contentType + "'"));
        }
        if (exchange.getProperty(HubHeaders.RAW_BODY, byte[].class).length == 0) {
            throw new IntakeRejectedException(Refusal.MALFORMED, "empty_body", "The body is empty");
        }
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String[] parts = contentType.toLowerCase(Locale.ROOT).split(";");
        String type = parts[0].trim();
        if (!type.equals("application/json") && !type.equals("application/fhir+json")) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            if (p.startsWith("charset=") && !p.substring(8).replace("\"", "").equals("utf-8")) {
                return false;
            }
        }
        return true;
    }
}
