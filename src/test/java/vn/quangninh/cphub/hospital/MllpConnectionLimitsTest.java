package vn.quangninh.cphub.hospital;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import vn.quangninh.cphub.Hl7Client;
import vn.quangninh.cphub.ShippedLimitsHub;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An idle-connection flood against the MLLP listener: 50 idle connections used to shut every hospital out for
 * up to the 300 s idle timeout. Now the flood's connections give way to a hospital's, hold at most 10 per
 * address, and are closed 10 s after they were opened without a known hospital's message.
 */
class MllpConnectionLimitsTest extends ShippedLimitsHub {

    private static final String REPORT = "connectors/hospital-hl7-mllp/examples/child-physical-abuse.input.hl7";

    @Test
    void aHospitalGetsThroughAnIdleFloodAndTheFloodIsClosed() throws Exception {
        List<Socket> flood = new ArrayList<>();
        try {
            // ten addresses, twelve idle connections each: more than the listener's 50 and each address's 10
            for (int a = 0; a < 10; a++) {
                for (int i = 0; i < 12; i++) {
                    flood.add(connect("127.0.0." + (60 + a)));
                }
            }
            Thread.sleep(1500);
            assertThat(flood.stream().filter(MllpConnectionLimitsTest::stillOpen).count())
                    .as("flood connections the listener keeps").isLessThanOrEqualTo(50);

            // the hospital connects through the flood and is acknowledged at once
            long started = System.nanoTime();
            try (Hl7Client hospital = new Hl7Client(hl7Port)) {
                String report = Files.readString(Path.of(REPORT)).replace("BC-EX-0001", "BC-FLOOD-" + System.nanoTime());
                assertThat(hospital.send(report).code()).isEqualTo("AA");
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));

                // ten seconds on, the flood is gone and the hospital's identified connection is still open
                Thread.sleep(11_000);
                assertThat(flood.stream().filter(MllpConnectionLimitsTest::stillOpen).count()).as("flood left open").isZero();
                String second = Files.readString(Path.of(REPORT)).replace("BC-EX-0001", "BC-FLOOD-" + System.nanoTime());
                assertThat(hospital.send(second).code()).as("on the same connection").isEqualTo("AA");
            }
        } finally {
            for (Socket socket : flood) {
                socket.close();
            }
        }
    }

    @Test
    void anUnknownSenderIsAnsweredAndThenClosed() throws Exception {
        try (Socket socket = connect("127.0.0.70")) {
            String stranger = "MSH|^~\\&|HIS|NOT_A_HOSPITAL|CPHUB|QN|20261128140500+0700||ADT^A04^ADT_A01|X1|P|2.5.1\rPID|1\r";
            socket.getOutputStream().write(("\u000b" + stranger + "\u001c\r").getBytes(StandardCharsets.ISO_8859_1));
            socket.setSoTimeout(20_000);
            InputStream in = socket.getInputStream();
            StringBuilder answer = new StringBuilder();
            long started = System.nanoTime();
            try {
                int b;
                while ((b = in.read()) >= 0) {
                    answer.append((char) b);
                }
            } catch (SocketException reset) {
                // closed
            }
            assertThat(answer).contains("MSA|AR");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("closed by the hub").isLessThan(Duration.ofSeconds(15));
        }
    }

    private Socket connect(String from) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(from, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", hl7Port), 5000);
        return socket;
    }

    private static boolean stillOpen(Socket socket) {
        try {
            socket.setSoTimeout(5);
            return socket.getInputStream().read() >= 0;
        } catch (SocketTimeoutException open) {
            return true;
        } catch (IOException closed) {
            return false;
        }
    }
}
