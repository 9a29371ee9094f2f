package vn.quangninh.cphub.hospital;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** What can be read of an HL7 v2 message before (or without) parsing it: the fields of its MSH segment. */
final class Hl7Frames {

    private static final Pattern SEGMENTS = Pattern.compile("\r\n|\r|\n");

    private Hl7Frames() {
    }

    /**
     * The MSH fields, split on the message's own field separator; index 0 is "MSH", so index n is MSH-(n+1)
     * (index 9 = MSH-10, 17 = MSH-18). Empty when there is no MSH segment. Control characters removed.
     */
    static String[] mshFields(byte[] raw) {
        if (raw == null || raw.length < 4) {
            return new String[0];
        }
        String first = SEGMENTS.split(new String(raw, StandardCharsets.ISO_8859_1), 2)[0];
        int start = first.indexOf("MSH");
        if (start < 0 || first.length() < start + 4) {
            return new String[0];
        }
        char separator = first.charAt(start + 3);
        String[] fields = first.substring(start).split(Pattern.quote(String.valueOf(separator)), -1);
        for (int i = 0; i < fields.length; i++) {
            fields[i] = fields[i].replaceAll("[^\\x20-\\x7E]", "");
        }
        return fields;
    }
}
