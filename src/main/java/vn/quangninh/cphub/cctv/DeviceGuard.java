package vn.quangninh.cphub.cctv;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Exchange;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubHeaders;
import vn.quangninh.cphub.intake.IntakeRejectedException;
import vn.quangninh.cphub.intake.Refusal;
import vn.quangninh.cphub.intake.RawBodyFilter;
import vn.quangninh.cphub.site.SiteRegistry;

/**
 * The first steps of a camera connector, after the raw body is read:
 * <ol>
 * <li>{@link #keepImagesOut}: what {@code cphub.invalid} may keep of a refused push — never an image: JPEG
 * parts of a multipart body are replaced by a note of their size, and a body that cannot be split is kept
 * as its first {@value #KEPT_OF_UNREADABLE} bytes only. The whole body stays in {@link #BODY} for the reader.</li>
 * <li>{@link #identify}: the device whose URL secret is in the path (header {@code deviceKey}, removed at
 * once) — 403 for an unknown one — and its rate limit, {@code cphub.cctv.max-events-per-minute} (429 beyond).</li>
 * </ol>
 */
@Component("deviceGuard")
public class DeviceGuard {

    /** Exchange property: the site and device of the push. */
    public static final String DEVICE = "cphubDevice";
    /** Exchange property: the whole raw body, images included (never kept, never queued). */
    public static final String BODY = "cphubCameraBody";
    static final int KEPT_OF_UNREADABLE = 512;

    private final SiteRegistry sites;
    private final int perMinute;
    private final Map<String, long[]> windows = new ConcurrentHashMap<>();

    public DeviceGuard(SiteRegistry sites, @Value("${cphub.cctv.max-events-per-minute}") int perMinute) {
        this.sites = sites;
        this.perMinute = perMinute;
    }

    public void keepImagesOut(Exchange exchange) {
        byte[] body = exchange.getProperty(HubHeaders.RAW_BODY, byte[].class);
        exchange.setProperty(BODY, body);
        String type = exchange.getMessage().getHeader(RawBodyFilter.ORIGINAL_CONTENT_TYPE,
                exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, ""), String.class);
        String lower = type.toLowerCase(Locale.ROOT);
        if (lower.startsWith("multipart/")) {
            StringBuilder kept = new StringBuilder();
            try {
                for (MultipartBody.Part part : MultipartBody.parts(type, body)) {
                    kept.append("--part ").append(part.name()).append(" (").append(part.contentType()).append(")\n");
                    kept.append(part.contentType().startsWith("image/") || looksLikeJpeg(part.bytes())
                            ? "[image of " + part.bytes().length + " bytes not kept]"
                            : new String(part.bytes(), StandardCharsets.ISO_8859_1)).append('\n');
                }
                exchange.setProperty(HubHeaders.RAW_BODY, kept.toString().getBytes(StandardCharsets.ISO_8859_1));
            } catch (IntakeRejectedException unreadable) {
                exchange.setProperty(HubHeaders.RAW_BODY, java.util.Arrays.copyOf(body, Math.min(body.length, KEPT_OF_UNREADABLE)));
            }
        } else if (lower.startsWith("image/") || looksLikeJpeg(body)) {
            exchange.setProperty(HubHeaders.RAW_BODY, ("[image of " + body.length + " bytes not kept]").getBytes(StandardCharsets.US_ASCII));
        }
    }

    public void identify(Exchange exchange, String vendor) {
        String key = exchange.getMessage().getHeader("deviceKey", String.class);
        exchange.getMessage().removeHeader("deviceKey");
        exchange.getMessage().removeHeaders("CamelHttp*");
        SiteRegistry.SiteDevice device = sites.deviceByKey(vendor, key).orElseThrow(() ->
                new IntakeRejectedException(Refusal.NOT_PERMITTED, "unknown_device", "No " + vendor + " device has this URL (config/sites.yaml)"));
        exchange.setProperty(DEVICE, device);
        exchange.setProperty(HubHeaders.PARTNER, "device:" + device.device().id());
        if (exchange.getProperty(HubHeaders.RAW_BODY_TRUNCATED, false, Boolean.class)) {
            throw new IntakeRejectedException(Refusal.TOO_LARGE, "too_large", "The push is over the intake limit (cphub.intake.max-body-size)");
        }
        if (!allow(device.device().id())) {
            throw new vn.quangninh.cphub.intake.RateLimitedException("Device " + device.device().id() + " sends more than "
                    + perMinute + " events a minute");
        }
    }

    /** A fixed one-minute window per device. */
    private boolean allow(String deviceId) {
        long minute = System.currentTimeMillis() / 60_000;
        long[] window = windows.computeIfAbsent(deviceId, d -> new long[] {minute, 0});
        synchronized (window) {
            if (window[0] != minute) {
                window[0] = minute;
                window[1] = 0;
            }
            return ++window[1] <= perMinute;
        }
    }

    private static boolean looksLikeJpeg(byte[] bytes) {
        return bytes.length > 2 && (bytes[0] & 0xff) == 0xFF && (bytes[1] & 0xff) == 0xD8;
    }
}
