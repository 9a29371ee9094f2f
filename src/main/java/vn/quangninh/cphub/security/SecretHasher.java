package vn.quangninh.cphub.security;

import org.springframework.security.crypto.factory.PasswordEncoderFactories;

/** Command line: prints the {bcrypt} hash of a secret for config/partners.yaml or config/users.yaml. */
public final class SecretHasher {

    private SecretHasher() {
    }

    public static void main(String[] args) {
        if (args.length != 1 || args[0].isEmpty()) {
            System.err.println("usage: bin/hash-secret 'secret'");
            System.exit(2);
        }
        System.out.println(PasswordEncoderFactories.createDelegatingPasswordEncoder().encode(args[0]));
    }
}
