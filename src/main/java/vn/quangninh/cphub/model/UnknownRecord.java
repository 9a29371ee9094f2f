package vn.quangninh.cphub.model;

/** The request names a record the hub does not have (a referral, a camera alert). Over HTTP: 404 Not Found. */
public class UnknownRecord extends RequestRefused {

    public UnknownRecord(String error, String message) {
        super(error, message);
    }
}
