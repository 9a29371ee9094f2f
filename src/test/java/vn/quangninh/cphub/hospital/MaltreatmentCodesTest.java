package vn.quangninh.cphub.hospital;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class MaltreatmentCodesTest {

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(nullValues = "-", value = {
        "T74.0, neglect, confirmed",
        "T74.1, violence, confirmed",
        "T74.2, sexual_abuse, confirmed",
        "T74.3, violence, confirmed",
        "T74.4, violence, confirmed",
        "T74.8, other, confirmed",
        "T74.9, other, confirmed",
        "T7412, violence, confirmed",
        "T76.12XA, violence, suspected",
        "T76.22XA, sexual_abuse, suspected",
        "t76.02xa, neglect, suspected",
        "Z04.72, -, ruled_out",
        "Z04.42, -, ruled_out",
        "Y07.11, -, -"})
    void codesSayWhatKindOfMaltreatmentAndHowSure(String code, String category, String certainty) {
        assertThat(MaltreatmentCodes.of(code)).hasValue(new MaltreatmentCodes.Finding(category, certainty));
    }

    @ParameterizedTest
    @CsvSource({"J18.9", "S52.5", "T75.1", "''"})
    void otherCodesSayNothing(String code) {
        assertThat(MaltreatmentCodes.of(code)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"I10, ICD-10", "I10C, ICD-10-CM", "'', ICD-10", "SNM, SNM"})
    void codingSystemsKeepTheirNames(String hl7, String canonical) {
        assertThat(MaltreatmentCodes.system(hl7)).isEqualTo(canonical);
    }
}
