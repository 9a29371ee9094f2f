package vn.quangninh.cphub;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.app.Connection;
import ca.uhn.hl7v2.llp.MinLLPReader;
import ca.uhn.hl7v2.llp.MinLLPWriter;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;

/** A hospital's interface engine: HAPI's own MLLP client (and HAPI's MLLP framing for raw text). */
public final class Hl7Client implements AutoCloseable {

    /** An acknowledgement as the sender reads it. */
    public record Ack(String code, String controlId, String errorCode, String text, String location, String userMessage) {
    }

    private final HapiContext context = new DefaultHapiContext();
    private final PipeParser parser;
    private final int port;

    private final boolean tls;

    public Hl7Client(int port) {
        this(port, null);
    }

    /** Over TLS, trusting what {@code trust} trusts (null: plain MLLP). */
    public Hl7Client(int port, javax.net.ssl.SSLContext trust) {
        this.port = port;
        this.tls = trust != null;
        if (trust != null) {
            ca.uhn.hl7v2.util.StandardSocketFactory plain = new ca.uhn.hl7v2.util.StandardSocketFactory();
            context.setSocketFactory(new ca.uhn.hl7v2.util.SocketFactory() {
                @Override
                public java.net.Socket createSocket() throws IOException {
                    return plain.createSocket();
                }

                @Override
                public java.net.Socket createTlsSocket() throws IOException {
                    return trust.getSocketFactory().createSocket();
                }

                @Override
                public java.net.ServerSocket createServerSocket() throws IOException {
                    return plain.createServerSocket();
                }

                @Override
                public java.net.ServerSocket createTlsServerSocket() throws IOException {
                    return plain.createTlsServerSocket();
                }

                @Override
                public void configureNewAcceptedSocket(java.net.Socket socket) throws java.net.SocketException {
                    plain.configureNewAcceptedSocket(socket);
                }
            });
        }
        // its own threads: HAPI's default executor is shared, and closing one client would stop the others
        context.setExecutorService(java.util.concurrent.Executors.newCachedThreadPool());
        context.setValidationContext(ValidationContextFactory.noValidation());
        context.getParserConfiguration().setIdGenerator(new ca.uhn.hl7v2.util.idgenerator.UUIDGenerator());
        this.parser = context.getPipeParser();
    }

    /** Parses {@code er7} (segments separated by \r) and sends it with HAPI's initiator. */
    public Ack send(String er7) throws Exception {
        Message message = parser.parse(er7);
        Connection connection = context.newClient("127.0.0.1", port, tls);
        connection.getInitiator().setTimeout(40, java.util.concurrent.TimeUnit.SECONDS);
        try {
            return read(connection.getInitiator().sendAndReceive(message));
        } finally {
            connection.close();
        }
    }

    /** Frames any text with MLLP (HAPI's writer) — for content HAPI itself would not build. */
    public String sendRaw(String text) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            new MinLLPWriter(socket.getOutputStream()).writeMessage(text);
            return new MinLLPReader(socket.getInputStream(), StandardCharsets.UTF_8).getMessage();
        } catch (ca.uhn.hl7v2.llp.LLPException e) {
            throw new IOException(e);
        }
    }

    public Ack read(String er7) throws Exception {
        return read(parser.parse(er7));
    }

    private static Ack read(Message ack) throws Exception {
        Terser t = new Terser(ack);
        boolean err = ack.encode().contains("\rERR|");
        return new Ack(t.get("/MSA-1"), t.get("/MSA-2"), err ? t.get("/ERR-3-1") : null, err ? t.get("/ERR-3-9") : null,
                err ? location(t) : null, err ? optional(t, "/ERR-8") : null);
    }

    /** A field an older version's ERR segment does not have: empty. */
    private static String optional(Terser t, String path) {
        try {
            String value = t.get(path);
            return value == null ? "" : value;
        } catch (ca.uhn.hl7v2.HL7Exception | RuntimeException e) {
            return "";
        }
    }

    /** ERR-2 as the sender reads it: segment^sequence^field^repetition^component, empty parts left out at the end. */
    private static String location(Terser t) {
        StringBuilder location = new StringBuilder();
        for (int component = 1; component <= 6; component++) {
            String part = optional(t, "/ERR-2-" + component);
            location.append(part == null ? "" : part).append('^');
        }
        return location.toString().replaceAll("\\^+$", "");
    }

    @Override
    public void close() throws IOException {
        context.close();
    }
}
