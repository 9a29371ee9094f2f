package vn.quangninh.cphub.partner;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.stereotype.Component;

import vn.quangninh.cphub.config.OperatorFiles;

/**
 * The partners of {@code config/partners.yaml}, checked when the hub starts and whenever the file changes on a
 * running hub ({@code connector.LivePartners}): a file that does not pass the checks is refused and the partners
 * before it stay.
 */
@Component
public class PartnerRegistry {

    private static final Pattern PARTNER_ID = Pattern.compile("^[a-z0-9][a-z0-9-]{1,62}$");

    private final OperatorFiles files;
    private final Path file;
    private volatile Map<String, Partner> partners;

    public PartnerRegistry(OperatorFiles files) {
        this.files = files;
        this.file = files.resolve("partners.yaml");
        this.partners = read();
    }

    /** The file the partners come from. */
    public Path file() {
        return file;
    }

    /**
     * The partners the file lists now, checked, by id; nothing changes until {@link #use}.
     *
     * @throws OperatorFiles.InvalidOperatorFileException naming the file and the entry that is wrong
     */
    public Map<String, Partner> read() {
        return index(file, files.read(file, PartnersFile.class));
    }

    /** From now on these are the partners (as {@link #read} gave them). */
    public void use(Map<String, Partner> next) {
        this.partners = Map.copyOf(next);
    }

    /** The partners in use, by id. */
    public Map<String, Partner> snapshot() {
        return partners;
    }

    record PartnersFile(List<Partner> partners) {
    }

    private static Map<String, Partner> index(Path file, PartnersFile content) {
        if (content == null || content.partners() == null || content.partners().isEmpty()) {
            throw new OperatorFiles.InvalidOperatorFileException(file, "it lists no partners");
        }
        Map<String, Partner> byId = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < content.partners().size(); i++) {
            Partner p = content.partners().get(i);
            String where = "partners[" + i + "]";
            if (p.id() == null || !PARTNER_ID.matcher(p.id()).matches()) {
                throw new OperatorFiles.InvalidOperatorFileException(file,
                        where + ".id must be lower-case letters, digits and '-' (2-63 characters)");
            }
            if (!seen.add(p.id())) {
                throw new OperatorFiles.InvalidOperatorFileException(file, where + ".id '" + p.id() + "' is listed twice");
            }
            if (p.sink() != null && (p.sink().connector() == null || p.sink().connector().isBlank())) {
                throw new OperatorFiles.InvalidOperatorFileException(file, where + ".sink.connector is missing");
            }
            if (p.hl7() != null && p.hl7().unsupported() != null && !Partner.Hl7.UNSUPPORTED_ANSWERS.contains(p.hl7().unsupported())) {
                throw new OperatorFiles.InvalidOperatorFileException(file, where + ".hl7.unsupported must be accept or reject, not '"
                        + p.hl7().unsupported() + "'");
            }
            if (p.signing() != null && (p.signing().secret() == null || p.signing().secret().length() < 32)) {
                throw new OperatorFiles.InvalidOperatorFileException(file, where + ".signing.secret must be at least 32 characters");
            }
            byId.put(p.id(), p);
        }
        return Map.copyOf(byId);
    }

    public Optional<Partner> find(String id) {
        return Optional.ofNullable(id).map(partners::get);
    }

    /** Every partner, by id. */
    public List<Partner> all() {
        return partners.values().stream().sorted(java.util.Comparator.comparing(Partner::id)).toList();
    }

    /** The partners the hub delivers to, by id. */
    public List<Partner> withSinks() {
        return all().stream().filter(p -> p.sink() != null).toList();
    }

    /** The partner whose HL7 identity has this sending facility (MSH-4), if any. */
    public Optional<Partner> bySendingFacility(String facility) {
        return partners.values().stream()
                .filter(p -> p.hl7() != null && p.hl7().sendingFacilities() != null
                        && p.hl7().sendingFacilities().contains(facility))
                .findFirst();
    }

    /** Every address a hospital is configured to send HL7 from (its {@code hl7.allowedAddresses}). */
    public Set<String> hl7AllowedAddresses() {
        Set<String> addresses = new HashSet<>();
        partners.values().stream().filter(p -> p.hl7() != null && p.hl7().allowedAddresses() != null)
                .forEach(p -> addresses.addAll(p.hl7().allowedAddresses()));
        return Set.copyOf(addresses);
    }

    public boolean exists(String id) {
        return partners.containsKey(id);
    }
}
