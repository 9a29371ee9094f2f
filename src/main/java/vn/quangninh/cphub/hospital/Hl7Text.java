package vn.quangninh.cphub.hospital;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import vn.quangninh.cphub.intake.IntakeRejectedException;
import vn.quangninh.cphub.intake.Refusal;

/**
 * The text of an HL7 v2 message as senders actually write it, turned into the form HAPI reads: segments
 * ended by CR. Read the same are segments ended by LF or CR LF, blank lines, a line break inside a field
 * (the line that does not begin with a segment name continues the one before it; the break is kept as the
 * escape sequence {@code \X0A\}), and a batch envelope (FHS/BHS … BTS/FTS) around one message. What cannot
 * be a message is refused naming where: no MSH at the start, no encoding characters (MSH-2), no message type
 * (MSH-9), a batch of several messages.
 */
final class Hl7Text {

    private static final Pattern LINE_ENDS = Pattern.compile("\r\n|\r|\n");
    private static final Pattern SEGMENT_NAME = Pattern.compile("[A-Z][A-Z0-9]{2}");
    private static final List<String> BATCH_SEGMENTS = List.of("FHS", "BHS", "BTS", "FTS");

    private Hl7Text() {
    }

    static String normalised(String text) {
        List<String> lines = new ArrayList<>();
        for (String line : LINE_ENDS.split(text)) {
            if (!line.isBlank()) {
                lines.add(line);
            }
        }
        String first = lines.stream().filter(l -> !BATCH_SEGMENTS.contains(name(l))).findFirst().orElse("");
        if (!first.startsWith("MSH")) {
            throw refused("unparseable", "The message does not begin with an MSH segment", "MSH");
        }
        if (first.length() < 8 || first.substring(4, 8).indexOf(first.charAt(3)) >= 0) {
            throw refused("required_field", "MSH-2 (encoding characters) is missing or incomplete", "MSH-2");
        }
        char fieldSeparator = first.charAt(3);
        String escape = String.valueOf(first.charAt(6));

        List<String> segments = new ArrayList<>();
        for (String line : lines) {
            boolean startsSegment = line.length() >= 3 && SEGMENT_NAME.matcher(line.substring(0, 3)).matches()
                    && (line.length() == 3 || line.charAt(3) == fieldSeparator);
            if (startsSegment || segments.isEmpty()) {
                segments.add(line);
            } else {
                int last = segments.size() - 1;
                segments.set(last, segments.get(last) + escape + "X0A" + escape + line);
            }
        }
        long messages = segments.stream().filter(s -> name(s).equals("MSH")).count();
        boolean batch = segments.stream().anyMatch(s -> BATCH_SEGMENTS.contains(name(s)));
        if (batch && messages > 1) {
            throw refused("batch", "A batch of " + messages + " messages (FHS/BHS) cannot be acknowledged as one over MLLP;"
                    + " send each message in a frame of its own", name(segments.get(0)));
        }
        segments.removeIf(s -> BATCH_SEGMENTS.contains(name(s)));
        String[] msh = segments.get(0).split(Pattern.quote(String.valueOf(fieldSeparator)), -1);
        if (msh.length < 9 || msh[8].isBlank()) {
            throw refused("required_field", "MSH-9 (message type) is empty", "MSH-9");
        }
        return String.join("\r", segments) + "\r";
    }

    private static String name(String segment) {
        return segment.length() >= 3 ? segment.substring(0, 3) : segment;
    }

    private static IntakeRejectedException refused(String error, String reason, String location) {
        return new IntakeRejectedException(Refusal.MALFORMED, error, reason, List.of(), location);
    }
}
