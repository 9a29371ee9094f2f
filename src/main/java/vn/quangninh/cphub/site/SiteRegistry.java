package vn.quangninh.cphub.site;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.stereotype.Component;

import vn.quangninh.cphub.config.OperatorFiles;

/**
 * The sites of {@code config/sites.yaml}, checked when the hub starts. Routing rules match on a site's
 * kind, commune and district. The file is optional: without it the hub knows no sites.
 */
@Component
public class SiteRegistry {

    public static final Set<String> KINDS = Set.of("school", "shelter", "public_place", "hospital");
    public static final Set<String> VENDORS = Set.of("hikvision", "onvif", "frigate");

    /** A device and the site it belongs to. */
    public record SiteDevice(Site site, Device device) {
    }

    private final Map<String, Site> sites;
    private final Map<String, SiteDevice> byKeyHash = new java.util.HashMap<>();
    private final Map<String, SiteDevice> byDeviceId = new java.util.HashMap<>();

    public SiteRegistry(OperatorFiles files) {
        Path file = files.resolve("sites.yaml");
        this.sites = Files.exists(file) ? index(file, files.read(file, SitesFile.class)) : Map.of();
        for (Site site : sites.values()) {
            for (int d = 0; d < site.devicesOrNone().size(); d++) {
                Device device = site.devicesOrNone().get(d);
                String where = "site " + site.id() + " devices[" + d + "]";
                check(file, device.id() != null && device.id().matches("[a-z0-9][a-z0-9-]{1,63}"), where + ".id: 2-64 of a-z, 0-9, -");
                check(file, byDeviceId.put(device.id(), new SiteDevice(site, device)) == null, where + ".id '" + device.id() + "' is listed twice");
                check(file, VENDORS.contains(device.vendor()), where + " (" + device.id() + ").vendor must be one of hikvision, onvif, frigate");
                if (device.vendor().equals("frigate")) {
                    check(file, device.camera() != null && !device.camera().isBlank(), where + " (" + device.id() + ").camera: Frigate's camera name");
                } else {
                    check(file, device.key() != null && device.key().length() >= 16,
                            where + " (" + device.id() + ").key: the secret of its alarm URL, at least 16 characters");
                    check(file, byKeyHash.put(keyHash(device.key()), new SiteDevice(site, device)) == null,
                            where + " (" + device.id() + ").key is another device's");
                }
                try {
                    java.time.ZoneId.of(device.timeZone() == null ? "" : device.timeZone());
                } catch (java.time.DateTimeException e) {
                    throw new OperatorFiles.InvalidOperatorFileException(file, where + " (" + device.id() + ").timeZone '"
                            + device.timeZone() + "' is not a time zone (e.g. Asia/Ho_Chi_Minh)");
                }
            }
            if (!site.devicesOrNone().isEmpty()) {
                check(file, site.verifier() != null && site.duty() != null,
                        "site " + site.id() + " has cameras: name its verifier and duty partners");
            }
        }
    }

    private static void check(Path file, boolean ok, String reason) {
        if (!ok) {
            throw new OperatorFiles.InvalidOperatorFileException(file, reason);
        }
    }

    private static String keyHash(String key) {
        return vn.quangninh.cphub.security.Hmac.sha256Hex("cphub/device-key", key);
    }

    /** The device of vendor {@code vendor} whose alarm-URL secret is {@code key}. */
    public Optional<SiteDevice> deviceByKey(String vendor, String key) {
        return Optional.ofNullable(key).map(k -> byKeyHash.get(keyHash(k))).filter(d -> d.device().vendor().equals(vendor));
    }

    /** A Frigate device by its camera name. */
    public Optional<SiteDevice> frigateCamera(String camera) {
        return byDeviceId.values().stream().filter(d -> d.device().vendor().equals("frigate") && d.device().camera().equals(camera))
                .findFirst();
    }

    /** A site of sites.yaml by its id. */
    public Optional<Site> site(String siteId) {
        return Optional.ofNullable(siteId).map(sites::get);
    }

    public Optional<SiteDevice> device(String deviceId) {
        return Optional.ofNullable(deviceId).map(byDeviceId::get);
    }

    /** Every site with cameras, for checks against the partners. */
    public List<Site> sitesWithDevices() {
        return sites.values().stream().filter(s -> !s.devicesOrNone().isEmpty()).toList();
    }

    record SitesFile(List<Site> sites) {
    }

    private static Map<String, Site> index(Path file, SitesFile content) {
        Map<String, Site> byId = new LinkedHashMap<>();
        List<Site> listed = content == null || content.sites() == null ? List.of() : content.sites();
        for (int i = 0; i < listed.size(); i++) {
            Site site = listed.get(i);
            String where = "sites[" + i + "]";
            if (site.id() == null || site.id().isBlank()) {
                throw new OperatorFiles.InvalidOperatorFileException(file, where + ".id is missing");
            }
            if (!KINDS.contains(site.kind())) {
                throw new OperatorFiles.InvalidOperatorFileException(file, where + " (" + site.id() + ").kind must be one of "
                        + String.join(", ", KINDS.stream().sorted().toList()) + ", not '" + site.kind() + "'");
            }
            if (byId.put(site.id(), site) != null) {
                throw new OperatorFiles.InvalidOperatorFileException(file, where + ".id '" + site.id() + "' is listed twice");
            }
        }
        return Map.copyOf(byId);
    }

    public Optional<Site> find(String id) {
        return Optional.ofNullable(id).map(sites::get);
    }
}
