package vn.quangninh.cphub.cctv;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import vn.quangninh.cphub.intake.IntakeRejectedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MultipartBodyTest {

    @Test
    void splitsPartsWithTheirTypesAndBytes() {
        String body = "--XyZ\r\nContent-Disposition: form-data; name=\"alert\"\r\nContent-Type: application/xml\r\n\r\n<a/>\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"pic\"; filename=\"p.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n\u00ff\u00d8\u00ffdata\r\n"
                + "--XyZ--\r\n";
        List<MultipartBody.Part> parts = MultipartBody.parts("multipart/form-data; boundary=XyZ", body.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(parts).extracting(MultipartBody.Part::contentType).containsExactly("application/xml", "image/jpeg");
        assertThat(parts).extracting(MultipartBody.Part::name).containsExactly("alert", "pic");
        assertThat(new String(parts.get(0).bytes(), StandardCharsets.ISO_8859_1)).isEqualTo("<a/>");
        assertThat(parts.get(1).bytes()).hasSize(7);
    }

    @Test
    void refusesABodyThatDoesNotFollowItsBoundary() {
        assertThatThrownBy(() -> MultipartBody.parts("multipart/form-data; boundary=XyZ", "--XyZ\r\nno end".getBytes(StandardCharsets.ISO_8859_1)))
                .isInstanceOf(IntakeRejectedException.class).hasMessageContaining("boundary");
        assertThatThrownBy(() -> MultipartBody.parts("multipart/form-data", new byte[0])).isInstanceOf(IntakeRejectedException.class);
    }
}
