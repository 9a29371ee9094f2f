package vn.quangninh.cphub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Throw-away TLS key pairs for tests, made with the JDK's keytool (PKCS12, valid two days). */
public final class TestKeys {

    private TestKeys() {
    }

    /**
     * @param host the certificate's CN; it is valid for {@code san}, e.g. {@code ip:127.0.0.1}
     */
    public static Path keyPair(String alias, String host, String san, String password) {
        try {
            Path file = Files.createTempDirectory("cphub-tls-" + alias).resolve(alias + ".p12");
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", alias, "-keyalg", "RSA", "-keysize", "2048",
                    "-validity", "2", "-dname", "CN=" + host, "-ext", "san=" + san, "-storetype", "PKCS12",
                    "-keystore", file.toString(), "-storepass", password, "-keypass", password)
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IllegalStateException("keytool failed: " + out);
            }
            return file;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
