package vn.quangninh.cphub.site;

/**
 * A place the hub knows: a school, shelter, public place or hospital, as listed in {@code config/sites.yaml}.
 *
 * @param kind school | shelter | public_place | hospital
 */
public record Site(String id, String kind, String name, String commune, String district) {
}
