package vn.quangninh.cphub.delivery;

/**
 * A partner lane's circuit in JMX under a name an operator reads in Hawtio's tree,
 * {@code vn.quangninh.cphub:type=PartnerCircuit,partner=police,lane=routine} (Camel's own MBean of the same
 * policy is named by its class and a hash).
 */
public interface PartnerCircuitView {

    String getPartner();

    /** routine or emergency. */
    String getLane();

    /** closed, half-open or open. */
    String getState();

    /** The queue its referrals wait in. */
    String getQueue();
}
