package vn.quangninh.cphub.secrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.annotation.PostConstruct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubProperties;
import vn.quangninh.cphub.partner.Partner;
import vn.quangninh.cphub.partner.PartnerRegistry;

/**
 * The development secrets the repository ships so that the hub runs on a fresh checkout — partner API secrets
 * {@code <id>-dev-secret} (their hashes in {@code config/partners.yaml}), webhook tokens, signing and camera
 * keys, the linking and evidence keys, all of them {@code dev-only-…} — are refused outside the embedded default
 * profile, as {@code config/users.yaml} already is ({@code security.HubUsers}): with any Spring profile active the hub
 * does not start while one is in use, and says which, by file, line and the environment variable that replaces
 * it. Anyone who read the README knows these secrets. In a package of its own: it reads the partners, and
 * {@code partner} depends on {@code security}.
 */
@Component
public class DevelopmentSecrets {

    private static final Logger LOG = LoggerFactory.getLogger(DevelopmentSecrets.class);
    static final String MARK = "dev-only-";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.]+):" + Pattern.quote(MARK));

    private final Environment environment;
    private final HubProperties hub;
    private final PartnerRegistry partners;

    public DevelopmentSecrets(Environment environment, HubProperties hub, PartnerRegistry partners) {
        this.environment = environment;
        this.hub = hub;
        this.partners = partners;
    }

    @PostConstruct
    void refuseOutsideTheEmbeddedDefaults() {
        if (environment.getActiveProfiles().length == 0) {
            // (not the whole search: its bcrypt checks would slow every start on a developer's machine)
            if (environment.getProperty("cphub.linking.key", "").startsWith(MARK)) {
                LOG.warn("The DEVELOPMENT partner secrets and keys of the README are in use (embedded default profile only). "
                        + "Never run like this in production.");
            }
            return;
        }
        List<String> found = inUse();
        if (!found.isEmpty()) {
            throw new IllegalStateException("Development secrets are in use with profile(s) "
                    + String.join(",", environment.getActiveProfiles()) + "; they are allowed only on the embedded default "
                    + "profile. Replace each (README, \"Secrets\"):\n  - " + String.join("\n  - ", found));
        }
    }

    /** Each development secret in use, named by where it is and what replaces it; never the secret itself. */
    public List<String> inUse() {
        List<String> found = new ArrayList<>();
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        for (Partner partner : partners.all()) {
            if (partner.canPost() && encoder.matches(partner.id() + "-dev-secret", partner.secretHash())) {
                found.add("config/partners.yaml: the secretHash of partner " + partner.id() + " is the development secret's ("
                        + envName(partner.id()) + "_SECRET_HASH, from bin/hash-secret)");
            }
        }
        if (environment.getProperty("cphub.linking.key", "").startsWith(MARK)) {
            found.add("cphub.linking.key: the development linking key (CPHUB_LINKING_KEY)");
        }
        if (decoded(environment.getProperty("cphub.cctv.evidence.key", "")).startsWith(MARK)) {
            found.add("cphub.cctv.evidence.key: the development evidence key (CPHUB_EVIDENCE_KEY, openssl rand -base64 32)");
        }
        if (decoded(environment.getProperty("cphub.content.key", "")).startsWith(MARK)) {
            found.add("cphub.content.key: the development key of delivered content (CPHUB_CONTENT_KEY, openssl rand -base64 32)");
        }
        found.addAll(inFiles(hub.configDir(), "config", ".yaml"));
        // the routes (a connector's connector.yaml names example paths for ConnectorExamplesTest, not secrets)
        found.addAll(inFiles(hub.connectorsDir(), "connectors", ".camel.yaml"));
        return found;
    }

    /** Lines of the operators' YAML files whose value, placeholders resolved, is a development secret. */
    private List<String> inFiles(Path dir, String shownAs, String suffix) {
        List<String> found = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(suffix) && !f.toString().contains("/examples/")
                    && !f.getFileName().toString().endsWith(".example.yaml")).sorted().toList()) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i);
                    if (line.stripLeading().startsWith("#") || !line.contains(MARK)) {
                        continue;
                    }
                    if (environment.resolvePlaceholders(line).contains(MARK)) {
                        Matcher placeholder = PLACEHOLDER.matcher(line);
                        found.add(shownAs + "/" + dir.relativize(file) + " line " + (i + 1)
                                + (placeholder.find() ? " (" + placeholder.group(1) + ")" : " (a literal value: edit the file)"));
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + dir + " to look for development secrets", e);
        }
        return found;
    }

    private static String envName(String partnerId) {
        return partnerId.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    }

    private static String decoded(String base64) {
        try {
            return new String(Base64.getDecoder().decode(base64), StandardCharsets.ISO_8859_1);
        } catch (IllegalArgumentException notBase64) {
            return base64;
        }
    }
}
