package vn.quangninh.cphub.hotline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** sipp (apt-get install sip-tester) playing the hotline PBX: one scenario, run to its end. */
public final class Sipp {

    private Sipp() {
    }

    /**
     * Sends a MESSAGE with {@code body} to the hub {@code times} times in one transaction (the same Via
     * branch, Call-ID and CSeq: the later ones are retransmissions) and expects {@code code} to the first.
     * Each run has its own branch, so runs never look like retransmissions of each other.
     *
     * @return sipp's exit code: 0 when every expected answer came
     */
    public static int message(int hubPort, String localIp, String contentType, String extraHeaders, String body, int times, int code)
            throws IOException, InterruptedException {
        String send = """
                  <send retrans="500">
                    <![CDATA[
                      MESSAGE sip:111@[remote_ip]:[remote_port] SIP/2.0
                      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=z9hG4bK-%s
                      From: <sip:0900000009@[local_ip]:[local_port]>;tag=[call_number]
                      To: <sip:111@[remote_ip]:[remote_port]>
                      Call-ID: [call_id]
                      CSeq: 1 MESSAGE
                      Max-Forwards: 70
                      Content-Type: %s%s
                      Content-Length: [len]

                      %s
                    ]]>
                  </send>
                """.formatted(java.util.UUID.randomUUID().toString().replace("-", ""), contentType, extraHeaders.isEmpty() ? "" : "\n" + extraHeaders, body);
        String scenario = Files.readString(Path.of("src/test/resources/sipp/message.xml"))
                // sipp takes a repeated response for a retransmission of the first and does not match it again:
                // the copies are sent without waiting for their answer
                .replace("__SENDS_BLOCK__", send + "<recv response=\"" + code + "\"/>\n"
                        + (send + "<pause milliseconds=\"300\"/>\n").repeat(times - 1) + "<pause milliseconds=\"500\"/>\n");
        Path file = Files.createTempFile("cphub-sipp", ".xml");
        Files.writeString(file, scenario, StandardCharsets.UTF_8);
        return run(List.of("sipp", "127.0.0.1:" + hubPort, "-sf", file.toString(), "-m", "1", "-i", localIp,
                // 45 s, as ExternalBrokerIT allows its HTTP sender: with the broker down the hub answers once its blocked
                // send gives up, 10-15 s on an idle machine and over 20 s in one CI run, where sipp's 20 s ran out first
                "-p", String.valueOf(vn.quangninh.cphub.HubProcess.freePort()), "-nostdin", "-timeout", "45s",
                "-timeout_error", "-trace_err", "-error_file", file + ".err"));
    }

    /**
     * sipp's built-in {@code uac} scenario: INVITE to {@code line}, the hub's answer, ACK, {@code talkMillis}
     * of talk, BYE.
     *
     * @param transport {@code u1} (UDP) or {@code t1} (TCP)
     */
    public static int builtInUac(int hubPort, String transport, String line, int talkMillis) throws IOException, InterruptedException {
        return run(List.of("sipp", "127.0.0.1:" + hubPort, "-sn", "uac", "-s", line, "-t", transport, "-d",
                String.valueOf(talkMillis), "-m", "1", "-i", "127.0.0.1", "-p", String.valueOf(vn.quangninh.cphub.HubProcess.freePort()),
                "-nostdin", "-timeout", "20s", "-timeout_error"));
    }

    /**
     * A call from {@code caller} to {@code line} (src/test/resources/sipp/call.xml) with the Call-ID
     * {@code <callIdPrefix>-1@pbx}; {@code extraHeaders} (e.g. "Privacy: id") go into the INVITE.
     */
    public static int call(int hubPort, String callIdPrefix, String line, String caller, String extraHeaders, int talkMillis)
            throws IOException, InterruptedException {
        String scenario = Files.readString(Path.of("src/test/resources/sipp/call.xml"))
                .replace("__FROM__", caller).replace("__PAUSE__", String.valueOf(talkMillis))
                .replace("__EXTRA__", extraHeaders.isEmpty() ? "" : extraHeaders + "\n      ");
        return runScenario(hubPort, line, scenario, callIdPrefix);
    }

    /** A call {@code line} whose caller hangs up while the hub rings (src/test/resources/sipp/cancel.xml). */
    public static int cancelledCall(int hubPort, String callIdPrefix, String line) throws IOException, InterruptedException {
        String scenario = Files.readString(Path.of("src/test/resources/sipp/cancel.xml"))
                .replace("__BRANCH__", "z9hG4bK-" + java.util.UUID.randomUUID().toString().replace("-", ""));
        return runScenario(hubPort, line, scenario, callIdPrefix);
    }

    /**
     * A MESSAGE challenged for digest credentials and sent again with {@code user} / {@code password}
     * (src/test/resources/sipp/digest-message.xml); {@code finalCode} is the answer expected then.
     */
    public static int digestMessage(int hubPort, String user, String password, int finalCode) throws IOException, InterruptedException {
        String scenario = Files.readString(Path.of("src/test/resources/sipp/digest-message.xml"))
                .replace("__USER__", user).replace("__PASSWORD__", password).replace("__FINAL__", String.valueOf(finalCode));
        return runScenario(hubPort, "111", scenario, "digest-" + java.util.UUID.randomUUID());
    }

    /** An INVITE expected to be declined (603), then its ACK (src/test/resources/sipp/declined.xml). */
    public static int declinedCall(int hubPort) throws IOException, InterruptedException {
        return runScenario(hubPort, "111", Files.readString(Path.of("src/test/resources/sipp/declined.xml")),
                "declined-" + java.util.UUID.randomUUID());
    }

    private static int runScenario(int hubPort, String line, String scenario, String callIdPrefix) throws IOException, InterruptedException {
        Path file = Files.createTempFile("cphub-sipp", ".xml");
        Files.writeString(file, scenario, StandardCharsets.UTF_8);
        return run(List.of("sipp", "127.0.0.1:" + hubPort, "-sf", file.toString(), "-s", line, "-m", "1", "-i", "127.0.0.1",
                "-p", String.valueOf(vn.quangninh.cphub.HubProcess.freePort()), "-cid_str", callIdPrefix + "-%u@pbx",
                "-nostdin", "-timeout", "20s", "-timeout_error", "-trace_err", "-error_file", file + ".err"));
    }

    static int run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(40, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
