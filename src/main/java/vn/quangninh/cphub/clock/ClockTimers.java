package vn.quangninh.cphub.clock;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/**
 * The timers behind the clocks: two db-scheduler executions per clock (warning and breach), stored in the
 * hub's database, so they survive a restart and each fires on exactly one hub instance. A timer that
 * fails (broker down) is retried every 30 seconds.
 */
@Configuration(proxyBeanMethods = false)
public class ClockTimers {

    static final String TASK = "referral-clock";

    public enum Stage { WARNING, BREACH }

    /** Identifies one timer: "referralId/clock/stage". */
    public record Timer(UUID referralId, String clock, Stage stage) {

        String instanceId() {
            return referralId + "/" + clock + "/" + stage.name().toLowerCase(java.util.Locale.ROOT);
        }

        static Timer parse(String instanceId) {
            String[] parts = instanceId.split("/");
            return new Timer(UUID.fromString(parts[0]), parts[1], Stage.valueOf(parts[2].toUpperCase(java.util.Locale.ROOT)));
        }
    }

    /** The firing is looked up when a timer is due: it needs the clocks, which need this task to schedule. */
    @Bean
    OneTimeTask<Void> referralClockTask(ObjectProvider<ClockFiring> firing) {
        return Tasks.oneTime(TASK)
                .onFailure(new FailureHandler.OnFailureRetryLater<>(Duration.ofSeconds(30)))
                .execute((instance, context) -> firing.getObject().fire(Timer.parse(instance.getId())));
    }

    /** Schedules timers; the scheduler is looked up lazily (it depends on the task, which depends on the firing). */
    @Bean
    Scheduling clockScheduling(@Lazy SchedulerClient scheduler, OneTimeTask<Void> referralClockTask) {
        return (timer, at) -> scheduler.scheduleIfNotExists(referralClockTask.instance(timer.instanceId()), at);
    }

    @FunctionalInterface
    public interface Scheduling {
        /** Schedules the timer at {@code at}, unless it is already scheduled (so triage may repeat it). */
        void schedule(Timer timer, Instant at);
    }
}
