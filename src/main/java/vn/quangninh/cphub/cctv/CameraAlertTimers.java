package vn.quangninh.cphub.cctv;

import java.time.Duration;
import java.util.UUID;

import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import org.apache.camel.ProducerTemplate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The verification timer of each camera alert: a db-scheduler execution in the store (instance = the alert
 * id), so it survives a restart and fires on one hub instance; retried every 30 s if the broker is down.
 */
@Configuration(proxyBeanMethods = false)
public class CameraAlertTimers {

    static final String ESCALATION = "direct:camera-alert-escalation";

    @Bean
    OneTimeTask<Void> cameraAlertVerificationTask(ObjectProvider<ProducerTemplate> producer) {
        return Tasks.oneTime(CameraAlerts.TASK)
                .onFailure(new FailureHandler.OnFailureRetryLater<>(Duration.ofSeconds(30)))
                // routes/camera-alerts.camel.yaml: escalated if still pending; its failure fails the timer
                .execute((instance, context) -> producer.getObject()
                        .requestBody(ESCALATION, UUID.fromString(instance.getId()).toString()));
    }
}
