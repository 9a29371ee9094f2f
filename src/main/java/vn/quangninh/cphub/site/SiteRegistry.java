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

    private final Map<String, Site> sites;

    public SiteRegistry(OperatorFiles files) {
        Path file = files.resolve("sites.yaml");
        this.sites = Files.exists(file) ? index(file, files.read(file, SitesFile.class)) : Map.of();
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
