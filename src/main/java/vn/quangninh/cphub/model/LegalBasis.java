package vn.quangninh.cphub.model;

import java.util.Arrays;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Why the hub may disclose a child's data to a recipient; recorded with every disclosure.
 * Law on Children 2016 and Decree 56/2017: with consent, in an emergency, to prevent or report a crime,
 * or because the recipient has the statutory duty to receive and handle the report (the commune
 * child-protection officer, the social-affairs department).
 */
public enum LegalBasis {
    CONSENT, EMERGENCY, CRIME_PREVENTION, STATUTORY_DUTY;

    @JsonCreator
    public static LegalBasis of(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown legal basis '" + value + "' (known: "
                    + String.join(", ", Arrays.stream(values()).map(LegalBasis::id).toList()) + ")");
        }
    }

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
