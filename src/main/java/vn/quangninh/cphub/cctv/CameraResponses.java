package vn.quangninh.cphub.cctv;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.site.SiteRegistry;

/** What a camera hears back: 200 (ISAPI expects it) for a taken event and for a heartbeat. */
@Component("cameraResponses")
public class CameraResponses {

    private final MeterRegistry meters;

    public CameraResponses(MeterRegistry meters) {
        this.meters = meters;
    }

    public void accepted(Exchange exchange) {
        count(exchange, "accepted");
        answer(exchange, "{\"status\":\"accepted\"}");
    }

    public void heartbeat(Exchange exchange) {
        count(exchange, "heartbeat");
        answer(exchange, "{\"status\":\"heartbeat\"}");
    }

    private void count(Exchange exchange, String outcome) {
        SiteRegistry.SiteDevice device = exchange.getProperty(DeviceGuard.DEVICE, SiteRegistry.SiteDevice.class);
        meters.counter("cphub.cctv.events", "vendor", device.device().vendor(), "outcome", outcome).increment();
    }

    private static void answer(Exchange exchange, String body) {
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        out.setBody(body);
    }
}
