package vn.quangninh.cphub.cctv;

import java.time.Duration;
import java.util.UUID;

import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The verification timer of each camera alert: a db-scheduler execution in the store (instance = the alert
 * id), so it survives a restart and fires on one hub instance; retried every 30 s if the broker is down.
 */
@Configuration(proxyBeanMethods = false)
public class CameraAlertTimers {

    @Bean
    OneTimeTask<Void> cameraAlertVerificationTask(ObjectProvider<CameraAlerts> alerts) {
        return Tasks.oneTime(CameraAlerts.TASK)
                .onFailure(new FailureHandler.OnFailureRetryLater<>(Duration.ofSeconds(30)))
                .execute((instance, context) -> {
                    try {
                        alerts.getObject().escalateIfUnverified(UUID.fromString(instance.getId()));
                    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                        throw new IllegalStateException(e);
                    }
                });
    }
}
