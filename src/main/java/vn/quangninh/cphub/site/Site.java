package vn.quangninh.cphub.site;

import java.util.List;

/**
 * A place the hub knows: a school, shelter, public place or hospital, as listed in {@code config/sites.yaml}.
 *
 * @param kind     school | shelter | public_place | hospital
 * @param verifier the partner that verifies the site's camera alerts first (sites with cameras)
 * @param duty     the partner an alert nobody verified in time is escalated to
 * @param devices  the site's cameras and video recorders
 */
public record Site(String id, String kind, String name, String commune, String district, String address,
                   Double lat, Double lon, String verifier, String duty, List<Device> devices) {

    public List<Device> devicesOrNone() {
        return devices == null ? List.of() : devices;
    }
}
