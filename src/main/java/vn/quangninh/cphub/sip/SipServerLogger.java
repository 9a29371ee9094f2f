package vn.quangninh.cphub.sip;

import java.util.Properties;

import gov.nist.core.ServerLogger;
import gov.nist.javax.sip.message.SIPMessage;

/** JAIN-SIP's message log, switched off: it would write whole SIP messages (callers' numbers, bodies). */
public class SipServerLogger implements ServerLogger {
    @Override public void closeLogFile() { }
    @Override public void logMessage(SIPMessage message, String from, String to, boolean sender, long time) { }
    @Override public void logMessage(SIPMessage message, String from, String to, String status, boolean sender, long time) { }
    @Override public void logMessage(SIPMessage message, String from, String to, String status, boolean sender) { }
    @Override public void logException(Exception ex) { }
    @Override public void setStackProperties(Properties stackProperties) { }
    @Override public void setSipStack(javax.sip.SipStack sipStack) { }
}
