package vn.quangninh.cphub.sip;

import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.UUID;

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
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
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
 * Listens on one SIP listening point. MESSAGE and NOTIFY go to the route, synchronously, and are answered
 * with the route's status ({@link SipHeaders#RESPONSE_CODE}; 200 by default, 500 when the exchange
 * failed) — so a 200 means the route finished, e.g. the durable enqueue. OPTIONS (keep-alives) get 200.
 * INVITE is declined (603): the hub never carries media. Other methods get 501. Retransmissions of a
 * request are absorbed by its server transaction and answered again with the same response, never handed
 * to the route twice. Nothing of a message is logged but its method and Call-ID.
 */
public class SipConsumer extends DefaultConsumer implements SipListener {

    private static final Logger LOG = LoggerFactory.getLogger(SipConsumer.class);

    private final SipEndpoint endpoint;
    private SipStack stack;
    private SipProvider provider;
    private ListeningPoint listeningPoint;
    private MessageFactory messages;
    private HeaderFactory headers;

    public SipConsumer(SipEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
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
        properties.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
        properties.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "8");
        properties.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", String.valueOf(endpoint.getMaxBodySize() + 8192));
        stack = factory.createSipStack(properties);
        headers = factory.createHeaderFactory();
        messages = factory.createMessageFactory();
        listeningPoint = stack.createListeningPoint(endpoint.getBindAddress(), endpoint.getPort(), endpoint.getTransport());
        provider = stack.createSipProvider(listeningPoint);
        provider.addSipListener(this);
        stack.start();
        LOG.info("SIP listener {} on {}:{}/{}", endpoint.getName(), endpoint.getBindAddress(), endpoint.getPort(), endpoint.getTransport());
    }

    @Override
    protected void doStop() throws Exception {
        if (stack != null) {
            provider.removeSipListener(this);
            stack.deleteSipProvider(provider);
            stack.deleteListeningPoint(listeningPoint);
            stack.stop();
            stack = null;
        }
        super.doStop();
    }

    @Override
    public void processRequest(RequestEvent event) {
        Request request = event.getRequest();
        String method = request.getMethod();
        if (Request.ACK.equals(method)) {
            return;
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
            switch (method) {
                case Request.MESSAGE, Request.NOTIFY -> handOver(event, transaction);
                case Request.OPTIONS -> respond(transaction, request, Response.OK, null);
                case Request.INVITE -> respond(transaction, request, Response.DECLINE, "The hub carries no media");
                default -> respond(transaction, request, Response.NOT_IMPLEMENTED, null);
            }
        } catch (Exception e) {
            LOG.warn("SIP {}: could not answer ({})", method, e.getClass().getSimpleName());
        }
    }

    private void handOver(RequestEvent event, ServerTransaction transaction) throws Exception {
        Request request = event.getRequest();
        byte[] body = request.getRawContent() == null ? new byte[0] : request.getRawContent();
        if (body.length > endpoint.getMaxBodySize()) {
            respond(transaction, request, Response.REQUEST_ENTITY_TOO_LARGE, null);
            return;
        }
        Exchange exchange = createExchange(false);
        Message in = exchange.getIn();
        in.setBody(new String(body, StandardCharsets.UTF_8));
        in.setHeader(SipHeaders.METHOD, request.getMethod());
        in.setHeader(SipHeaders.CALL_ID, ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId());
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
        int code;
        String reason = null;
        try {
            getProcessor().process(exchange);
            Integer chosen = exchange.getMessage().getHeader(SipHeaders.RESPONSE_CODE, Integer.class);
            reason = exchange.getMessage().getHeader(SipHeaders.RESPONSE_REASON, String.class);
            code = exchange.getException() != null ? Response.SERVER_INTERNAL_ERROR : chosen == null ? Response.OK : chosen;
        } catch (Exception e) {
            code = Response.SERVER_INTERNAL_ERROR;
            exchange.setException(e);
        }
        if (exchange.getException() != null) {
            getExceptionHandler().handleException("SIP " + request.getMethod() + " failed", exchange, exchange.getException());
        }
        respond(transaction, request, code, reason);
    }

    private static String valueOf(Header header) {
        String text = header.toString();
        int colon = text.indexOf(':');
        return (colon < 0 ? text : text.substring(colon + 1)).trim();
    }

    private void respond(ServerTransaction transaction, Request request, int code, String reason) throws Exception {
        Response response = messages.createResponse(code, request);
        if (reason != null) {
            response.setReasonPhrase(reason);
        }
        if (code == Response.OK && Request.OPTIONS.equals(request.getMethod())) {
            response.addHeader(headers.createAllowHeader("MESSAGE, NOTIFY, OPTIONS"));
        }
        transaction.sendResponse(response);
    }

    @Override public void processResponse(ResponseEvent event) { }
    @Override public void processTimeout(TimeoutEvent event) { }
    @Override public void processIOException(IOExceptionEvent event) { }
    @Override public void processTransactionTerminated(TransactionTerminatedEvent event) { }
    @Override public void processDialogTerminated(DialogTerminatedEvent event) { }
}
