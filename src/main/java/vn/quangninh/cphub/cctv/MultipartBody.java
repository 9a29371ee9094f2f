package vn.quangninh.cphub.cctv;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import vn.quangninh.cphub.intake.IntakeRejectedException;
import vn.quangninh.cphub.intake.Refusal;

/**
 * Splits a {@code multipart/form-data} body (RFC 7578) already held in memory — the raw bytes the intake
 * filter bounded — into its parts, each with its Content-Type and bytes. At most {@link #MAX_PARTS}
 * parts; a body that does not follow its boundary gets 400.
 */
public final class MultipartBody {

    public static final int MAX_PARTS = 12;

    /** One part: its media type (lower case, no parameters; "" when absent), name and bytes. */
    public record Part(String contentType, String name, byte[] bytes) {
    }

    private MultipartBody() {
    }

    public static List<Part> parts(String contentType, byte[] body) {
        String boundary = boundary(contentType);
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        List<Part> parts = new ArrayList<>();
        int at = indexOf(body, delimiter, 0);
        if (at < 0) {
            throw malformed();
        }
        while (true) {
            int start = at + delimiter.length;
            if (start + 1 < body.length && body[start] == '-' && body[start + 1] == '-') {
                return parts; // the closing delimiter
            }
            int headersStart = skipLineBreak(body, start);
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), headersStart);
            int next = indexOf(body, ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1), headersStart);
            if (headersEnd < 0 || next < 0 || headersEnd > next) {
                throw malformed();
            }
            if (parts.size() == MAX_PARTS) {
                throw new IntakeRejectedException(Refusal.TOO_LARGE, "too_many_parts", "At most " + MAX_PARTS + " parts");
            }
            String headers = new String(body, headersStart, headersEnd - headersStart, StandardCharsets.ISO_8859_1);
            parts.add(new Part(header(headers, "content-type"), name(headers), Arrays.copyOfRange(body, headersEnd + 4, next)));
            at = next + 2;
        }
    }

    private static String boundary(String contentType) {
        for (String parameter : contentType.split(";")) {
            String p = parameter.trim();
            if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String value = p.substring("boundary=".length()).replace("\"", "");
                if (!value.isEmpty() && value.length() <= 70) {
                    return value;
                }
            }
        }
        throw new IntakeRejectedException(Refusal.MALFORMED, "malformed_multipart", "multipart/form-data without a boundary");
    }

    private static String header(String headers, String name) {
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).split(";")[0].trim().toLowerCase(Locale.ROOT);
            }
        }
        return "";
    }

    private static String name(String headers) {
        int i = headers.toLowerCase(Locale.ROOT).indexOf("name=\"");
        if (i < 0) {
            return "";
        }
        int end = headers.indexOf('"', i + 6);
        return end < 0 ? "" : headers.substring(i + 6, end);
    }

    private static int skipLineBreak(byte[] body, int at) {
        return at + 1 < body.length && body[at] == '\r' && body[at + 1] == '\n' ? at + 2 : at;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static IntakeRejectedException malformed() {
        return new IntakeRejectedException(Refusal.MALFORMED, "malformed_multipart", "The multipart body does not follow its boundary");
    }
}
