package vn.quangninh.cphub.model;

/** The sender may not do this (not the referral's recipient, not the site's verifier, not a statistics reader). Over HTTP: 403 Forbidden. */
public class NotPermitted extends RequestRefused {

    public NotPermitted(String error, String message) {
        super(error, message);
    }
}
