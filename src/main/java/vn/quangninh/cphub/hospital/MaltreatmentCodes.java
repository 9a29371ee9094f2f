package vn.quangninh.cphub.hospital;

import java.util.Locale;
import java.util.Optional;

/**
 * What a diagnosis code says about maltreatment (DOMAIN.md): ICD-10 T74.x confirmed, ICD-10-CM T76.x
 * suspected, Z04.72 / Z04.42 examined and ruled out, Y07.x the perpetrator's relationship (a code, not a
 * finding). Categories are those of the Law on Children, Art. 4.
 */
public final class MaltreatmentCodes {

    /** @param category null when the code says nothing about the form of abuse (e.g. ruled out, Y07) */
    public record Finding(String category, String certainty) {
    }

    private MaltreatmentCodes() {
    }

    public static Optional<Finding> of(String code) {
        if (code == null) {
            return Optional.empty();
        }
        String c = code.trim().toUpperCase(Locale.ROOT).replace(".", "");
        if (c.startsWith("T74") && c.length() >= 4) {
            return Optional.of(new Finding(category(c.charAt(3)), "confirmed"));
        }
        if (c.startsWith("T76") && c.length() >= 4) {
            return Optional.of(new Finding(category(c.charAt(3)), "suspected"));
        }
        if (c.equals("T74") || c.equals("T76")) {
            return Optional.of(new Finding("other", c.equals("T74") ? "confirmed" : "suspected"));
        }
        if (c.startsWith("Z0472") || c.startsWith("Z0442")) {
            return Optional.of(new Finding(null, "ruled_out"));
        }
        if (c.startsWith("Y07")) {
            return Optional.of(new Finding(null, null));
        }
        return Optional.empty();
    }

    /** T74/T76 fourth character: .0 neglect, .1 physical, .2 sexual, .3 psychological, .4 shaken infant. */
    private static String category(char fourth) {
        return switch (fourth) {
            case '0' -> "neglect";
            case '1', '3', '4' -> "violence";
            case '2' -> "sexual_abuse";
            default -> "other";
        };
    }

    /** The coding system as the canonical incident names it (HL7 table 0396: I10, I10C / ICD10CM). */
    public static String system(String hl7CodingSystem) {
        if (hl7CodingSystem == null || hl7CodingSystem.isBlank()) {
            return "ICD-10";
        }
        return switch (hl7CodingSystem.trim().toUpperCase(Locale.ROOT)) {
            case "I10", "ICD10", "ICD-10" -> "ICD-10";
            case "I10C", "ICD10CM", "ICD-10-CM" -> "ICD-10-CM";
            default -> hl7CodingSystem.trim();
        };
    }
}
