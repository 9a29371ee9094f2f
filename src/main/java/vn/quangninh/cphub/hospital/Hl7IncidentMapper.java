package vn.quangninh.cphub.hospital;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Structure;
import ca.uhn.hl7v2.util.ReadOnlyMessageIterator;
import ca.uhn.hl7v2.util.Terser;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubHeaders;

/**
 * Maps an HL7 v2 report from a hospital to a candidate canonical incident (table in
 * connectors/hospital-hl7-mllp/README.md), or drops it as not relevant ({@link HospitalReportRules}).
 */
@Component("hl7IncidentMapper")
public class Hl7IncidentMapper implements Processor {

    private final ObjectMapper json = new ObjectMapper();
    private final HospitalReportRules rules;
    private final ZoneId hospitalZone;

    public Hl7IncidentMapper(HospitalReportRules rules, @Value("${cphub.hospital.time-zone}") ZoneId hospitalZone) {
        this.rules = rules;
        this.hospitalZone = hospitalZone;
    }

    @Override
    public void process(Exchange exchange) throws HL7Exception {
        Message message = exchange.getProperty(Hl7Reader.MESSAGE, Message.class);
        String partnerId = exchange.getProperty(HubHeaders.PARTNER, String.class);
        Segments s = new Segments(message);

        Codes codes = new Codes();
        List<String> texts = new ArrayList<>();
        List<Segment> dg1s = s.all("DG1");
        for (int i = 0; i < dg1s.size(); i++) {
            Segment dg1 = dg1s.get(i);
            codes.add(get(dg1, 3, 0, 1), get(dg1, 3, 0, 2), get(dg1, 3, 0, 3), "DG1(" + (i + 1) + ")-3");
        }
        List<Segment> obxs = s.all("OBX");
        for (int i = 0; i < obxs.size(); i++) {
            Segment obx = obxs.get(i);
            String valueType = get(obx, 2, 0, 1);
            for (int rep = 0; rep < obx.getField(5).length; rep++) {
                if (valueType.equals("CE") || valueType.equals("CWE") || valueType.equals("CNE")) {
                    codes.add(get(obx, 5, rep, 1), get(obx, 5, rep, 2), get(obx, 5, rep, 3), "OBX(" + (i + 1) + ")-5");
                } else if (Set.of("TX", "ST", "FT").contains(valueType) && !get(obx, 5, rep, 1).isBlank()) {
                    texts.add(get(obx, 5, rep, 1));
                }
            }
        }
        Segment zcp = s.first("ZCP").orElse(null);
        Segment pid = s.first("PID").orElse(null);
        OffsetDateTime sent = time(get(s.msh(), 7, 0, 1)).orElse(null);
        LocalDate birth = pid == null ? null : date(get(pid, 7, 0, 1)).orElse(null);

        String stated = zcp == null || suspicion(get(zcp, 1, 0, 1)).isEmpty() ? null : suspicion(get(zcp, 1, 0, 1));
        boolean policeNotified = zcp != null && get(zcp, 3, 0, 1).equalsIgnoreCase("Y");
        var report = new HospitalReportRules.Report(partnerId, get(s.msh(), 10, 0, 1), sent, birth, codes.findings, stated,
                zcp != null, policeNotified);
        ObjectNode incident = rules.incident(exchange, "hl7", report).orElse(null);
        if (incident == null) {
            return;
        }
        HospitalDataQuality.source(exchange, "/source/eventId", "MSH-10");
        HospitalDataQuality.source(exchange, "/occurredAt", "MSH-7");
        ArrayNode subjects = incident.putArray("subjects");
        if (pid != null) {
            subjects.add(victim(pid, birth));
            HospitalDataQuality.source(exchange, "/subjects/0", "PID");
            HospitalDataQuality.source(exchange, "/subjects/0/name", "PID-5");
            HospitalDataQuality.source(exchange, "/subjects/0/birthDate", "PID-7");
            HospitalDataQuality.source(exchange, "/subjects/0/sex", "PID-8");
            HospitalDataQuality.source(exchange, "/subjects/0/identifiers", "PID-3");
        }
        List<Segment> nk1s = s.all("NK1");
        for (int i = 0; i < nk1s.size(); i++) {
            HospitalDataQuality.source(exchange, "/subjects/" + subjects.size(), "NK1(" + (i + 1) + ")-2");
            ObjectNode guardian = subjects.addObject().put("role", "guardian");
            putIfPresent(guardian, "name", name(nk1s.get(i), 2));
        }
        HospitalDataQuality.source(exchange, "/subjects", "PID, NK1");
        incident.putArray("evidence").addObject().put("kind", "hl7")
                .put("ref", "hl7:" + partnerId + "/" + get(s.msh(), 10, 0, 1));
        HospitalDataQuality.source(exchange, "/evidence", "MSH-10");
        if (!codes.nodes.isEmpty()) {
            ArrayNode list = incident.putArray("codes");
            // the codes that make it a report first: a long list is cut at its end (a lab panel's results)
            codes.inReportOrder().forEach(code -> {
                HospitalDataQuality.source(exchange, "/codes/" + list.size(), codes.sources.get(code));
                list.add(code);
            });
            HospitalDataQuality.source(exchange, "/codes", "DG1-3, OBX-5");
        }
        if (!texts.isEmpty()) {
            incident.put("narrative", String.join("\n", texts));
            HospitalDataQuality.source(exchange, "/narrative", "OBX-5");
        }
        exchange.getMessage().setBody(incident);
    }

    private ObjectNode victim(Segment pid, LocalDate birth) throws HL7Exception {
        ObjectNode victim = json.createObjectNode().put("role", "victim");
        putIfPresent(victim, "name", name(pid, 5));
        if (birth != null) {
            victim.put("birthDate", birth.toString());
        }
        String sex = switch (get(pid, 8, 0, 1).toUpperCase()) {
            case "F" -> "female";
            case "M" -> "male";
            case "O", "A" -> "other";
            case "" -> null;
            default -> "unknown";
        };
        putIfPresent(victim, "sex", sex);
        ArrayNode identifiers = json.createArrayNode();
        for (int rep = 0; rep < pid.getField(3).length; rep++) {
            String value = get(pid, 3, rep, 1);
            if (!value.isBlank()) {
                String system = !get(pid, 3, rep, 4).isBlank() ? get(pid, 3, rep, 4)
                        : !get(pid, 3, rep, 5).isBlank() ? get(pid, 3, rep, 5) : "MR";
                identifiers.addObject().put("system", system).put("value", value);
            }
        }
        if (!identifiers.isEmpty()) {
            victim.set("identifiers", identifiers);
        }
        return victim;
    }

    /** The coded values of a message, each with the field it came from, and the maltreatment findings among them. */
    private final class Codes {
        private final List<ObjectNode> nodes = new ArrayList<>();
        private final java.util.Set<ObjectNode> maltreatment = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        private final java.util.Map<ObjectNode, String> sources = new java.util.IdentityHashMap<>();
        private final List<MaltreatmentCodes.Finding> findings = new ArrayList<>();

        void add(String code, String display, String codingSystem, String source) {
            if (code.isBlank()) {
                return;
            }
            ObjectNode c = json.createObjectNode().put("system", MaltreatmentCodes.system(codingSystem)).put("code", code);
            if (!display.isBlank()) {
                c.put("display", display);
            }
            nodes.add(c);
            sources.put(c, source);
            MaltreatmentCodes.of(code).ifPresent(finding -> {
                findings.add(finding);
                maltreatment.add(c);
            });
        }

        /** Maltreatment codes first, then the others, each in message order. */
        List<ObjectNode> inReportOrder() {
            List<ObjectNode> ordered = new ArrayList<>(nodes.stream().filter(maltreatment::contains).toList());
            nodes.stream().filter(c -> !maltreatment.contains(c)).forEach(ordered::add);
            return ordered;
        }
    }

    /** ZCP-1: S / C / R, or the words. */
    private static String suspicion(String value) {
        return switch (value.trim().toUpperCase()) {
            case "S", "SUSPECTED" -> "suspected";
            case "C", "CONFIRMED" -> "confirmed";
            case "R", "RULED_OUT", "RULED OUT" -> "ruled_out";
            default -> "";
        };
    }

    /** XPN in Vietnamese order: family (1), middle (3), given (2). */
    private static String name(Segment segment, int field) throws HL7Exception {
        String full = String.join(" ", List.of(get(segment, field, 0, 1), get(segment, field, 0, 3),
                get(segment, field, 0, 2))).trim().replaceAll("\\s+", " ");
        return full.isEmpty() ? null : full;
    }

    private Optional<OffsetDateTime> time(String dtm) {
        if (dtm.length() < 12) {
            return Optional.empty();
        }
        try {
            String digits = dtm.replaceAll("[^0-9].*$", "");
            LocalDateTime local = LocalDateTime.parse((digits + "000000").substring(0, 14),
                    DateTimeFormatter.ofPattern("yyyyMMddHHmmss"));
            int sign = dtm.indexOf('+') > 0 ? dtm.indexOf('+') : dtm.indexOf('-', 8);
            ZoneOffset offset = sign > 0 ? ZoneOffset.of(dtm.substring(sign, sign + 3) + ":" + dtm.substring(sign + 3, sign + 5))
                    : hospitalZone.getRules().getOffset(local);
            return Optional.of(local.atOffset(offset));
        } catch (StringIndexOutOfBoundsException | java.time.DateTimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<LocalDate> date(String dtm) {
        if (dtm.length() < 8) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(dtm.substring(0, 8), DateTimeFormatter.BASIC_ISO_DATE));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null && !value.isBlank()) {
            node.put(field, value);
        }
    }

    private static String get(Segment segment, int field, int rep, int component) throws HL7Exception {
        if (rep >= segment.getField(field).length) {
            return "";
        }
        String value = Terser.get(segment, field, rep, component, 1);
        return value == null ? "" : value.trim();
    }

    /** The populated segments of a message, by name, wherever they sit in its groups. */
    private static final class Segments {
        private final List<Segment> all = new ArrayList<>();

        Segments(Message message) {
            Iterator<Structure> it = ReadOnlyMessageIterator.createPopulatedSegmentIterator(message);
            while (it.hasNext()) {
                if (it.next() instanceof Segment segment) {
                    all.add(segment);
                }
            }
        }

        List<Segment> all(String name) {
            return all.stream().filter(seg -> seg.getName().equals(name)).toList();
        }

        Optional<Segment> first(String name) {
            return all.stream().filter(seg -> seg.getName().equals(name)).findFirst();
        }

        Segment msh() {
            return first("MSH").orElseThrow();
        }
    }
}
