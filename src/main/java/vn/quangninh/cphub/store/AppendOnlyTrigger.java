package vn.quangninh.cphub.store;

import java.sql.Connection;
import java.sql.SQLException;

import org.h2.api.Trigger;

/**
 * The H2 store's guard on append-only tables (the disclosure log, referral status history): any update
 * or delete fails. PostgreSQL uses a PL/pgSQL trigger instead (db/vendor/postgresql).
 */
public class AppendOnlyTrigger implements Trigger {

    private String table;

    @Override
    public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before, int type) {
        this.table = tableName;
    }

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        throw new SQLException("table " + table + " is append-only");
    }
}
