package vn.quangninh.cphub.ops;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;

/**
 * The record of what operators did to messages (table {@code operator_action}, append-only): who, when,
 * what, on which partner and ids, why, and what came of it. Written before the action's answer is sent.
 */
@Component
public class OperatorActions {

    /** One recorded action. */
    public record Action(long id, Instant actedAt, String user, String action, String partner, String target,
                         String reason, String outcome) {
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public OperatorActions(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Records an action; its id, which the journey of each message it touched refers to. */
    public long record(String user, String action, String partner, String target, String reason, String outcome) {
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.update(connection -> {
            PreparedStatement insert = connection.prepareStatement("insert into operator_action (acted_at, user_name, action,"
                    + " partner_id, target, reason, outcome) values (?, ?, ?, ?, ?, ?, ?)", new String[] {"id"});
            insert.setTimestamp(1, Timestamp.from(clock.instant()));
            insert.setString(2, user);
            insert.setString(3, action);
            insert.setString(4, partner);
            insert.setString(5, cut(target));
            insert.setString(6, cut(reason));
            insert.setString(7, outcome);
            return insert;
        }, key);
        return key.getKey().longValue();
    }

    /** The latest actions, newest first. */
    public List<Action> latest(int limit) {
        return jdbc.query("select * from operator_action order by id desc limit ?", (rs, i) -> new Action(rs.getLong("id"),
                rs.getTimestamp("acted_at").toInstant(), rs.getString("user_name"), rs.getString("action"),
                rs.getString("partner_id"), rs.getString("target"), rs.getString("reason"), rs.getString("outcome")), limit);
    }

    private static String cut(String text) {
        return text.length() <= 500 ? text : text.substring(0, 500);
    }
}
