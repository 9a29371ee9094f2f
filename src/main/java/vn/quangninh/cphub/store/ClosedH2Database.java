package vn.quangninh.cphub.store;

import java.sql.SQLException;

import com.zaxxer.hikari.SQLExceptionOverride;

/**
 * Tells Hikari to drop a connection to an embedded H2 store that has closed itself. H2 closes its database when
 * a write fails (its disk full: "No space left on device"); every pooled connection then answers "The database
 * has been closed" (90098) for ever, and the hub never recovered once space was freed (StoreDiskFullIT). Evicted
 * connections are replaced by new ones, which open the database again from its last good state once its disk
 * has room. PostgreSQL's errors carry no such codes and are left to Hikari's own rules.
 */
public class ClosedH2Database implements SQLExceptionOverride {

    /** org.h2.api.ErrorCode.DATABASE_IS_CLOSED and DATABASE_CALLED_AT_SHUTDOWN. */
    private static final int DATABASE_IS_CLOSED = 90098;
    private static final int DATABASE_CALLED_AT_SHUTDOWN = 90121;

    @java.lang.Override
    public Override adjudicate(SQLException e) {
        int code = e.getErrorCode();
        return code == DATABASE_IS_CLOSED || code == DATABASE_CALLED_AT_SHUTDOWN ? Override.MUST_EVICT : Override.CONTINUE_EVICT;
    }
}
