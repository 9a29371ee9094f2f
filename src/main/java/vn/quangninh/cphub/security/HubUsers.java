package vn.quangninh.cphub.security;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;

import vn.quangninh.cphub.config.OperatorFiles;

/**
 * The people who may log in to the operators' console, from {@code config/users.yaml} (password hashes
 * only). Without that file the hub starts only on its embedded default profile, with the development
 * users of the README; any other profile refuses to start.
 */
public final class HubUsers {

    private static final Logger LOG = LoggerFactory.getLogger(HubUsers.class);
    public static final Set<String> ROLES = Set.of("viewer", "operator", "admin", "evidence", "statistics");

    /**
     * The development users' passwords ("&lt;name&gt;-dev", as the README gives them), hashed once with
     * {@code bin/hash-secret} rather than at every start: five bcrypt hashes were about 0.4 s of its main thread.
     */
    private static final Map<String, String> DEVELOPMENT_PASSWORDS = Map.of(
            "viewer", "{bcrypt}$2a$10$YJs0YXA5lD6G8/LRARoW..NzJoOzAspSXvZ8vJBE2XpgOLSzIFuDK",
            "operator", "{bcrypt}$2a$10$7P6B9G7bxO.UvXtRcALFcu3jp1Uw4n3O.UoGR8mZXtNE4t1XA0sQW",
            "admin", "{bcrypt}$2a$10$Nvgn36fowctnblhK.UstEuNb0Eg76ofnkKbFh/l5dmffX65c2x6yS",
            "evidence", "{bcrypt}$2a$10$F4.lIRa5JCWK/nOwnzbuCOgPXVQ6mpZy8PTJDF8qezTEp/ENm3spq",
            "statistics", "{bcrypt}$2a$10$kI1dollIbp3q0vn6x3y2FOPb37NG4gtnXBKLrP8AjqgUHGb5b5AIG");

    record UsersFile(List<Account> users) {
    }

    record Account(String name, String passwordHash, List<String> roles) {
    }

    private HubUsers() {
    }

    public static List<UserDetails> load(OperatorFiles files, Environment environment) {
        Path file = files.resolve("users.yaml");
        if (Files.exists(file)) {
            return fromFile(file, files.read(file, UsersFile.class));
        }
        if (environment.getActiveProfiles().length > 0) {
            throw new IllegalStateException("No console users configured for profile(s) "
                    + String.join(",", environment.getActiveProfiles()) + ": create " + file.toAbsolutePath().normalize()
                    + " (see config/users.example.yaml). Development users exist only on the embedded default profile.");
        }
        LOG.warn("No {}: using the DEVELOPMENT console users (viewer, operator, admin, evidence, statistics). Never run like this in production.", file);
        List<UserDetails> dev = new ArrayList<>();
        for (String role : List.of("viewer", "operator", "admin")) {
            dev.add(User.withUsername(role).password(DEVELOPMENT_PASSWORDS.get(role)).roles(role).build());
        }
        // may open camera snapshots (/console/evidence/{sha256}); each look is recorded
        dev.add(User.withUsername("evidence").password(DEVELOPMENT_PASSWORDS.get("evidence")).roles("viewer", "evidence").build());
        // may read the programme's statistics (/console/statistics/report); each read is recorded
        dev.add(User.withUsername("statistics").password(DEVELOPMENT_PASSWORDS.get("statistics")).roles("statistics").build());
        return dev;
    }

    private static List<UserDetails> fromFile(Path file, UsersFile content) {
        if (content == null || content.users() == null || content.users().isEmpty()) {
            throw new OperatorFiles.InvalidOperatorFileException(file, "it lists no users");
        }
        List<UserDetails> users = new ArrayList<>();
        for (int i = 0; i < content.users().size(); i++) {
            Account a = content.users().get(i);
            String where = "users[" + i + "]";
            if (a.name() == null || a.name().isBlank() || a.passwordHash() == null || !a.passwordHash().startsWith("{")) {
                throw new OperatorFiles.InvalidOperatorFileException(file,
                        where + " needs a name and a passwordHash such as {bcrypt}$2a$10$...");
            }
            if (a.roles() == null || a.roles().isEmpty() || !ROLES.containsAll(a.roles())) {
                throw new OperatorFiles.InvalidOperatorFileException(file, where + ".roles must be among " + ROLES);
            }
            users.add(User.withUsername(a.name()).password(a.passwordHash()).roles(a.roles().toArray(String[]::new)).build());
        }
        return users;
    }
}
