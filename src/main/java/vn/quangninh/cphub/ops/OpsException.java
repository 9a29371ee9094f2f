package vn.quangninh.cphub.ops;

/** An operations request the hub cannot do, with the HTTP status and the reason the caller reads. */
public class OpsException extends RuntimeException {

    private final int status;

    public OpsException(int status, String reason) {
        super(reason);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
