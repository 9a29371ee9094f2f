package vn.quangninh.cphub.hospital;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.UUID;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import vn.quangninh.cphub.Hl7Client;
import vn.quangninh.cphub.HubTestSupport;
import vn.quangninh.cphub.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The MLLP listener with a keystore configured speaks TLS, and only TLS. */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class MllpTlsTest extends HubTestSupport {

    private static final String PASSWORD = "test-only-keystore";
    private static final Path KEYSTORE = keystore();

    @DynamicPropertySource
    static void withTls(DynamicPropertyRegistry registry) throws IOException {
        secondHub(registry, "cphub-tls", 9, true);
        registry.add("CPHUB_HL7_TLS_KEYSTORE", KEYSTORE::toString);
        registry.add("CPHUB_HL7_TLS_KEYSTORE_PASSWORD", () -> PASSWORD);
    }

    @Test
    void aHospitalConnectingOverTlsIsAcknowledged() throws Exception {
        try (Hl7Client client = new Hl7Client(hl7Port, trusting(KEYSTORE))) {
            assertThat(client.send(message()).code()).isEqualTo("AA");
        }
    }

    @Test
    void plainMllpIsNotAnswered() {
        assertThatThrownBy(() -> {
            try (Hl7Client client = new Hl7Client(hl7Port)) {
                client.send(message());
            }
        }).isInstanceOf(Exception.class);
    }

    private static String message() {
        return String.join("\r",
                "MSH|^~\\&|HIS|BAICHAY_HOSP|CPHUB|QN|20261128140500+0700||ADT^A04^ADT_A01|TLS"
                        + UUID.randomUUID().toString().replace("-", "").substring(0, 16) + "|P|2.5.1",
                "EVN|A04|20261128140500",
                "PID|1||BC-TLS-1^^^BAICHAY_HOSP^MR||Synthetic^Tls^Child||20170415|F",
                "PV1|1|E",
                "DG1|1||T74.1^Physical abuse^I10") + "\r";
    }

    /** A throw-away key pair for 127.0.0.1. */
    private static Path keystore() {
        return TestKeys.keyPair("hub", "127.0.0.1", "ip:127.0.0.1", PASSWORD);
    }

    private static SSLContext trusting(Path keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
