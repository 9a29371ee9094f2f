package vn.quangninh.cphub.sip;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;

import gov.nist.javax.sip.RequestEventExt;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on one SIP address and port, over each configured transport (UDP, TCP).
 * <ul>
 * <li>MESSAGE and NOTIFY go to the route, synchronously, and are answered with the route's status
 * ({@link SipHeaders#RESPONSE_CODE}; 200 by default, 500 when the exchange failed) — so a 200 means the
 * route finished, e.g. the durable enqueue.</li>
 * <li>INVITE, CANCEL and BYE make the hub a passive observer of a call: the route gets one exchange per
 * {@link SipHeaders#DIALOG_EVENT} — {@code offered} (INVITE), {@code answered} (before the hub's 200),
 * {@code cancelled} (CANCEL before the answer), {@code ended} (BYE) — each with an empty body. With
 * {@code invite=observe} the hub rings (180), then after {@code answerDelay} answers 200 with an SDP
 * answer whose every media port is 0 (it never carries media); with {@code invite=decline} it answers 603
 * after the offer. A route failure answers 500 instead. Re-INVITEs in a call are answered like the first
 * answer, with no event. ACKs end the INVITE exchange and are no event.</li>
 * <li>OPTIONS (keep-alives) get 200; other methods 501.</li>
 * <li>With an enabled {@link SipDigestAuthenticator}, every request but ACK and CANCEL (which RFC 3261
 * does not let a server challenge) needs valid digest credentials, else 401 with a challenge.</li>
 * </ul>
 * Retransmissions are absorbed by the request's server transaction (and the 2xx to an INVITE is
 * retransmitted by its dialog until the ACK), never handed to the route twice. Nothing of a message is
 * logged but its method and Call-ID.
 */
public class SipConsumer extends DefaultConsumer implements SipListener {

    private static final Logger LOG = LoggerFactory.getLogger(SipConsumer.class);
    private static final String ALLOW = "INVITE, ACK, CANCEL, BYE, MESSAGE, NOTIFY, OPTIONS";

    private final SipEndpoint endpoint;
    private final Map<String, RingingCall> ringing = new ConcurrentHashMap<>();
    private SipStack stack;
    private SipProvider provider;
    private final List<ListeningPoint> listeningPoints = new ArrayList<>();
    private MessageFactory messages;
    private HeaderFactory headers;
    private AddressFactory addresses;
    private ScheduledExecutorService answering;

    public SipConsumer(SipEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    /** The route's verdict on one exchange. */
    private record Outcome(int code, String reason) {
        boolean ok() {
            return code / 100 == 2;
        }
    }

    /** An INVITE the hub is ringing for; answered or cancelled once, whichever comes first. */
    private static final class RingingCall {
        final RequestEvent invite;
        final ServerTransaction transaction;
        final String toTag;
        boolean settled;
        java.util.concurrent.ScheduledFuture<?> answer;

        RingingCall(RequestEvent invite, ServerTransaction transaction, String toTag) {
            this.invite = invite;
            this.transaction = transaction;
            this.toTag = toTag;
        }

        synchronized boolean settle() {
            if (settled) {
                return false;
            }
            settled = true;
            return true;
        }
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        Properties properties = new Properties();
        properties.setProperty("javax.sip.STACK_NAME", "cphub-" + endpoint.getName() + "-" + UUID.randomUUID());
        properties.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
        properties.setProperty("gov.nist.javax.sip.STACK_LOGGER", SipStackLogger.class.getName());
        properties.setProperty("gov.nist.javax.sip.SERVER_LOGGER", SipServerLogger.class.getName());
        // a second line behind the no-op message log: never write a message's content (callers' numbers)
        properties.setProperty("gov.nist.javax.sip.LOG_MESSAGE_CONTENT", "false");
        properties.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
        // a PBX's NOTIFY belongs to no subscription of ours: JAIN-SIP drops such NOTIFYs unless told otherwise
        properties.setProperty("gov.nist.javax.sip.DELIVER_UNSOLICITED_NOTIFY", "true");
        properties.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "8");
        properties.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", String.valueOf(endpoint.getMaxBodySize() + 8192));
        stack = factory.createSipStack(properties);
        headers = factory.createHeaderFactory();
        messages = factory.createMessageFactory();
        addresses = factory.createAddressFactory();
        for (String transport : endpoint.transports()) {
            ListeningPoint point = stack.createListeningPoint(endpoint.getBindAddress(), endpoint.getPort(), transport);
            listeningPoints.add(point);
            if (provider == null) {
                provider = stack.createSipProvider(point);
            } else {
                provider.addListeningPoint(point);
            }
        }
        provider.addSipListener(this);
        answering = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newScheduledThreadPool(this, "sip-answer-" + endpoint.getName(), 2);
        stack.start();
        LOG.info("SIP listener {} on {}:{} over {}", endpoint.getName(), endpoint.getBindAddress(), endpoint.getPort(),
                endpoint.transports());
    }

    @Override
    protected void doStop() throws Exception {
        if (answering != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(answering);
            answering = null;
        }
        if (stack != null) {
            provider.removeSipListener(this);
            stack.deleteSipProvider(provider);
            for (ListeningPoint point : listeningPoints) {
                stack.deleteListeningPoint(point);
            }
            listeningPoints.clear();
            stack.stop();
            stack = null;
            provider = null;
        }
        ringing.clear();
        super.doStop();
    }

    @Override
    public void processRequest(RequestEvent event) {
        Request request = event.getRequest();
        String method = request.getMethod();
        if (Request.ACK.equals(method)) {
            return; // ends the INVITE exchange; the answer was recorded before the 200
        }
        ServerTransaction transaction = event.getServerTransaction();
        try {
            if (transaction == null) {
                transaction = provider.getNewServerTransaction(request);
            }
        } catch (TransactionAlreadyExistsException retransmission) {
            return; // the transaction answers it
        } catch (Exception e) {
            LOG.warn("SIP {}: no server transaction ({})", method, e.getClass().getSimpleName());
            return;
        }
        try {
            SipDigestAuthenticator digest = endpoint.getAuthenticator();
            if (digest != null && !Request.CANCEL.equals(method) && !digest.authenticates(request)) {
                Response challenge = messages.createResponse(Response.UNAUTHORIZED, request);
                challenge.addHeader(digest.challenge(headers));
                transaction.sendResponse(challenge);
                return;
            }
            switch (method) {
                case Request.MESSAGE, Request.NOTIFY -> {
                    Outcome outcome = handOver(event, null);
                    respond(transaction, request, outcome.code(), outcome.reason());
                }
                case Request.OPTIONS -> respond(transaction, request, Response.OK, null);
                case Request.INVITE -> onInvite(event, transaction);
                case Request.CANCEL -> onCancel(event, transaction);
                case Request.BYE -> {
                    Outcome outcome = handOver(event, SipHeaders.ENDED);
                    respond(transaction, request, outcome.code(), outcome.reason());
                }
                default -> respond(transaction, request, Response.NOT_IMPLEMENTED, null);
            }
        } catch (Exception e) {
            LOG.warn("SIP {}: could not answer ({})", method, e.getClass().getSimpleName());
        }
    }

    private void onInvite(RequestEvent event, ServerTransaction transaction) throws Exception {
        Request invite = event.getRequest();
        if (((ToHeader) invite.getHeader(ToHeader.NAME)).getTag() != null) {
            // a re-INVITE within a call the hub answered: the same answer again, no new event
            sendAnswer(transaction, invite, ((ToHeader) invite.getHeader(ToHeader.NAME)).getTag());
            return;
        }
        Outcome offered = handOver(event, SipHeaders.OFFERED);
        if (!offered.ok()) {
            respond(transaction, invite, offered.code(), offered.reason());
            return;
        }
        if ("decline".equals(endpoint.getInvite())) {
            respond(transaction, invite, Response.DECLINE, "The hub carries no media");
            return;
        }
        String toTag = UUID.randomUUID().toString().substring(0, 8);
        provider.getNewDialog(transaction); // the dialog resends the 200 until the ACK comes
        Response ring = messages.createResponse(Response.RINGING, invite);
        ((ToHeader) ring.getHeader(ToHeader.NAME)).setTag(toTag);
        transaction.sendResponse(ring);
        RingingCall call = new RingingCall(event, transaction, toTag);
        ringing.put(callId(invite), call);
        call.answer = answering.schedule(() -> answer(call), endpoint.getAnswerDelay(), TimeUnit.MILLISECONDS);
    }

    private void answer(RingingCall call) {
        Request invite = call.invite.getRequest();
        if (!call.settle()) {
            return; // cancelled first
        }
        try {
            Outcome answered = handOver(call.invite, SipHeaders.ANSWERED);
            if (answered.ok()) {
                sendAnswer(call.transaction, invite, call.toTag);
            } else {
                respond(call.transaction, invite, answered.code(), answered.reason(), call.toTag);
            }
        } catch (Exception e) {
            LOG.warn("SIP INVITE {}: could not answer ({})", callId(invite), e.getClass().getSimpleName());
        } finally {
            ringing.remove(callId(invite), call);
        }
    }

    private void onCancel(RequestEvent event, ServerTransaction cancelTransaction) throws Exception {
        Request cancel = event.getRequest();
        RingingCall call = ringing.get(callId(cancel));
        if (call == null || !call.settle()) {
            // answered already (the caller will send BYE) or unknown: nothing to stop
            respond(cancelTransaction, cancel, Response.OK, null);
            return;
        }
        call.answer.cancel(false);
        ringing.remove(callId(cancel), call);
        Outcome cancelled = handOver(event, SipHeaders.CANCELLED);
        respond(cancelTransaction, cancel, cancelled.code(), cancelled.reason());
        Request invite = call.invite.getRequest();
        if (cancelled.ok()) {
            respond(call.transaction, invite, Response.REQUEST_TERMINATED, null, call.toTag);
        } else {
            LOG.error("SIP CANCEL {}: the end of the call could not be recorded; the INVITE is answered {}",
                    callId(cancel), cancelled.code());
            respond(call.transaction, invite, cancelled.code(), cancelled.reason(), call.toTag);
        }
    }

    /** 200 to an INVITE: an SDP answer refusing every offered media stream (port 0). */
    private void sendAnswer(ServerTransaction transaction, Request invite, String toTag) throws Exception {
        Response ok = messages.createResponse(Response.OK, invite);
        ((ToHeader) ok.getHeader(ToHeader.NAME)).setTag(toTag);
        SipURI uri = (SipURI) invite.getRequestURI();
        SipURI contact = addresses.createSipURI("cphub", uri.getHost());
        contact.setPort(endpoint.getPort());
        contact.setTransportParam(((ViaHeader) invite.getHeader(ViaHeader.NAME)).getTransport().toLowerCase(java.util.Locale.ROOT));
        ok.addHeader(headers.createContactHeader(addresses.createAddress(contact)));
        ok.addHeader(headers.createAllowHeader(ALLOW));
        ok.setContent(rejectingAnswer(invite, uri.getHost()), headers.createContentTypeHeader("application", "sdp"));
        transaction.sendResponse(ok);
    }

    /** RFC 3264 §6: one m-line per offered one, each with port 0; an audio line when nothing was offered. */
    static String rejectingAnswer(Request invite, String host) {
        String offer = invite.getRawContent() == null ? "" : new String(invite.getRawContent(), StandardCharsets.US_ASCII);
        StringBuilder sdp = new StringBuilder("v=0\r\no=cphub 0 0 IN IP4 ").append(host).append("\r\ns=cphub\r\nc=IN IP4 ")
                .append(host).append("\r\nt=0 0\r\n");
        List<String> media = offer.lines().filter(l -> l.startsWith("m=")).toList();
        if (media.isEmpty()) {
            media = List.of("m=audio 9 RTP/AVP 0");
        }
        for (String line : media) {
            String[] parts = line.split(" ", 3);
            sdp.append(parts[0]).append(" 0 ").append(parts.length > 2 ? parts[2] : "RTP/AVP 0").append("\r\n");
        }
        return sdp.toString();
    }

    /** Runs the route for one request (or one step of a call) and gives its verdict. */
    private Outcome handOver(RequestEvent event, String dialogEvent) {
        Request request = event.getRequest();
        byte[] body = dialogEvent != null || request.getRawContent() == null ? new byte[0] : request.getRawContent();
        if (body.length > endpoint.getMaxBodySize()) {
            return new Outcome(Response.REQUEST_ENTITY_TOO_LARGE, null);
        }
        Exchange exchange = createExchange(false);
        Message in = exchange.getIn();
        in.setBody(new String(body, StandardCharsets.UTF_8));
        in.setHeader(SipHeaders.METHOD, request.getMethod());
        in.setHeader(SipHeaders.DIALOG_EVENT, dialogEvent);
        in.setHeader(SipHeaders.CALL_ID, callId(request));
        in.setHeader(SipHeaders.CSEQ, ((CSeqHeader) request.getHeader(CSeqHeader.NAME)).getSeqNumber());
        ContentTypeHeader type = (ContentTypeHeader) request.getHeader(ContentTypeHeader.NAME);
        in.setHeader(SipHeaders.CONTENT_TYPE, type == null ? null : type.getContentType() + "/" + type.getContentSubType());
        in.setHeader(SipHeaders.FROM, ((FromHeader) request.getHeader(FromHeader.NAME)).getAddress().getURI().toString());
        in.setHeader(SipHeaders.TO, ((ToHeader) request.getHeader(ToHeader.NAME)).getAddress().getURI().toString());
        in.setHeader(SipHeaders.REQUEST_URI, request.getRequestURI().toString());
        Header asserted = request.getHeader("P-Asserted-Identity");
        in.setHeader(SipHeaders.P_ASSERTED_IDENTITY, asserted == null ? null : valueOf(asserted));
        Header privacy = request.getHeader("Privacy");
        in.setHeader(SipHeaders.PRIVACY, privacy == null ? null : valueOf(privacy));
        in.setHeader(SipHeaders.PEER, event instanceof RequestEventExt ext ? ext.getRemoteIpAddress() : null);
        Outcome outcome;
        try {
            getProcessor().process(exchange);
            Integer chosen = exchange.getMessage().getHeader(SipHeaders.RESPONSE_CODE, Integer.class);
            String reason = exchange.getMessage().getHeader(SipHeaders.RESPONSE_REASON, String.class);
            outcome = exchange.getException() != null ? new Outcome(Response.SERVER_INTERNAL_ERROR, null)
                    : new Outcome(chosen == null ? Response.OK : chosen, reason);
        } catch (Exception e) {
            outcome = new Outcome(Response.SERVER_INTERNAL_ERROR, null);
            exchange.setException(e);
        }
        if (exchange.getException() != null) {
            getExceptionHandler().handleException("SIP " + request.getMethod() + " failed", exchange, exchange.getException());
        }
        return outcome;
    }

    private static String callId(Request request) {
        return ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
    }

    private static String valueOf(Header header) {
        String text = header.toString();
        int colon = text.indexOf(':');
        return (colon < 0 ? text : text.substring(colon + 1)).trim();
    }

    private void respond(ServerTransaction transaction, Request request, int code, String reason) throws Exception {
        respond(transaction, request, code, reason, null);
    }

    /** @param toTag the tag the hub gave the call in its 180, for the final answer of a ringing INVITE */
    private void respond(ServerTransaction transaction, Request request, int code, String reason, String toTag) throws Exception {
        Response response = messages.createResponse(code, request);
        if (reason != null) {
            response.setReasonPhrase(reason);
        }
        if (code == Response.OK && Request.OPTIONS.equals(request.getMethod())) {
            response.addHeader(headers.createAllowHeader(ALLOW));
        }
        if (code >= 300 && Request.INVITE.equals(request.getMethod())) {
            ToHeader to = (ToHeader) response.getHeader(ToHeader.NAME);
            if (to.getTag() == null) {
                to.setTag(toTag != null ? toTag : UUID.randomUUID().toString().substring(0, 8));
            }
        }
        transaction.sendResponse(response);
    }

    @Override public void processResponse(ResponseEvent event) { }
    @Override public void processTimeout(TimeoutEvent event) { }
    @Override public void processIOException(IOExceptionEvent event) { }
    @Override public void processTransactionTerminated(TransactionTerminatedEvent event) { }
    @Override public void processDialogTerminated(DialogTerminatedEvent event) { }
}
