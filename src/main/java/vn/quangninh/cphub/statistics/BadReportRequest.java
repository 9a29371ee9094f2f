package vn.quangninh.cphub.statistics;

/** A statistics request the hub cannot answer as asked; the message says which parameter and what it must be. */
public class BadReportRequest extends RuntimeException {

    public BadReportRequest(String message) {
        super(message);
    }
}
