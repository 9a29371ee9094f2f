package vn.quangninh.cphub.model;

/** The record is not in a state that allows the request (already verified, a status it cannot move to, changed meanwhile). Over HTTP: 409 Conflict. */
public class ConflictingState extends RequestRefused {

    public ConflictingState(String error, String message) {
        super(error, message);
    }
}
