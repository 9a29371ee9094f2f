package vn.quangninh.cphub.intake;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubProperties;

/**
 * Checks what can be checked before a body is parsed: it must be JSON and at most
 * {@code cphub.intake.max-body-size}. Reads the body once, at most one byte past the limit, and keeps the
 * bytes in {@link IntakeHeaders#RAW_BODY} (for cphub.invalid if the message is rejected).
 */
@Component("intakeRequestGuard")
public class IntakeRequestGuard implements Processor {

    /** How much of an oversize body is kept for operators. */
    static final int OVERSIZE_KEPT_BYTES = 64 * 1024;

    private final long maxBodySize;

    public IntakeRequestGuard(HubProperties hub) {
        this.maxBodySize = hub.intake().maxBodySize().toBytes();
    }

    @Override
    public void process(Exchange exchange) throws IOException {
        byte[] body = readAtMost(exchange, maxBodySize + 1);
        exchange.setProperty(IntakeHeaders.RAW_BODY, body);
        Long declared = exchange.getMessage().getHeader(Exchange.CONTENT_LENGTH, Long.class);
        if (body.length > maxBodySize || (declared != null && declared > maxBodySize)) {
            exchange.setProperty(IntakeHeaders.RAW_BODY, Arrays.copyOf(body, Math.min(body.length, OVERSIZE_KEPT_BYTES)));
            exchange.setProperty(IntakeHeaders.RAW_BODY_TRUNCATED, true);
            throw new IntakeRejectedException(413, "too_large",
                    "The body is larger than the limit of " + maxBodySize + " bytes");
        }
        String contentType = exchange.getMessage().getHeader(OpaqueBodyFilter.ORIGINAL_CONTENT_TYPE,
                exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class), String.class);
        if (contentType != null && contentType.isBlank()) {
            contentType = null;
        }
        if (!isJson(contentType)) {
            throw new IntakeRejectedException(415, "unsupported_media_type",
                    "Send the incident as application/json (UTF-8); got " + (contentType == null ? "no Content-Type" : "'" + contentType + "'"));
        }
        if (body.length == 0) {
            throw new IntakeRejectedException(400, "empty_body", "The body is empty");
        }
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String[] parts = contentType.toLowerCase(Locale.ROOT).split(";");
        if (!parts[0].trim().equals("application/json")) {
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

    private static byte[] readAtMost(Exchange exchange, long limit) throws IOException {
        Object body = exchange.getMessage().getBody();
        if (body == null) {
            return new byte[0];
        }
        if (body instanceof byte[] bytes) {
            return bytes.length > limit ? Arrays.copyOf(bytes, (int) limit) : bytes;
        }
        InputStream in = body instanceof InputStream stream ? stream
                : new ByteArrayInputStream(exchange.getMessage().getBody(byte[].class));
        try (in) {
            return in.readNBytes((int) Math.min(limit, Integer.MAX_VALUE - 8));
        }
    }
}
