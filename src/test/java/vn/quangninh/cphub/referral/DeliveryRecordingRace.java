package vn.quangninh.cphub.referral;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A recipient's report that meets the hub recording the delivery, made to happen every time on either store: the
 * referral is put back to routed (as it stands between the partner's 2xx and the sink's commit); a transaction of the
 * test moves it to delivered, as the sink's store step does, and holds the row uncommitted; the report is sent, is
 * checked against routed, and its update waits for that row; then the move commits.
 *
 * @param waitingForALock how many of the store's sessions wait for another's lock in a referral's move (each store
 *                        asks its own way)
 */
public record DeliveryRecordingRace(DataSource store, String waitingForALock) {

    public static DeliveryRecordingRace onH2(DataSource store) {
        return new DeliveryRecordingRace(store, "select count(*) from information_schema.sessions"
                + " where blocker_id is not null and executing_statement like 'update referral set status%'");
    }

    public static DeliveryRecordingRace onPostgres(DataSource store) {
        return new DeliveryRecordingRace(store, "select count(*) from pg_stat_activity"
                + " where wait_event_type = 'Lock' and query like 'update referral set status%'");
    }

    /** The report's answer, sent by {@code report} while the hub's move of {@code referralId} to delivered waits to commit. */
    public HttpResponse<String> report(String referralId, Callable<HttpResponse<String>> report) throws Exception {
        JdbcTemplate jdbc = new JdbcTemplate(store);
        jdbc.update("update referral set status = 'ROUTED' where referral_id = ?", referralId);
        try (Connection sinkStep = store.getConnection()) {
            sinkStep.setAutoCommit(false);
            try (PreparedStatement move = sinkStep.prepareStatement(
                    "update referral set status = 'DELIVERED' where referral_id = ? and status = 'ROUTED'")) {
                move.setString(1, referralId);
                assertThat(move.executeUpdate()).isEqualTo(1);
            }
            CompletableFuture<HttpResponse<String>> answer = CompletableFuture.supplyAsync(() -> {
                try {
                    return report.call();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await("the report's update waits for the hub's move").atMost(Duration.ofSeconds(10))
                    .until(() -> answer.isDone() || jdbc.queryForObject(waitingForALock, Integer.class) > 0);
            sinkStep.commit();
            return answer.get(15, TimeUnit.SECONDS);
        }
    }
}
