package vn.quangninh.cphub.connector;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.partner.Partner;
import vn.quangninh.cphub.partner.PartnerRegistry;

/**
 * The mutual-TLS settings of each partner whose sink has {@code tls} (agency-webhook and connectors made from
 * it), bound in Camel's registry as {@code agencyTls-<partner>} before the routes start: the hub's client certificate and, when given, the
 * trust store for the agency's server. Partners without {@code tls} use the JVM's defaults (setting TLS
 * parameters on a plain http:// endpoint would make camel-http speak TLS to it). A store that cannot be
 * read stops the hub at start-up.
 */
@Component
public class AgencyTls implements CamelContextConfiguration {

    private final PartnerRegistry partners;

    public AgencyTls(PartnerRegistry partners) {
        this.partners = partners;
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        for (Partner partner : partners.withSinks()) {
            install(camelContext, partner);
        }
    }

    /** Binds (or binds again, after a change of partners.yaml) the partner's TLS settings, when it has them. */
    public void install(CamelContext camelContext, Partner partner) {
        Object tls = partner.sink().parameters() == null ? null : partner.sink().parameters().get("tls");
        // any sink with tls (agency-webhook, or a connector made from it): ConnectorInstaller passes the bean
        // to its route as tlsContext
        if (tls instanceof Map<?, ?> settings) {
            camelContext.getRegistry().bind(beanName(partner.id()), mutual(partner.id(), settings));
        }
    }

    static String beanName(String partner) {
        return "agencyTls-" + partner;
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
    }

    private static SSLContextParameters mutual(String partner, Map<?, ?> tls) {
        SSLContextParameters parameters = new SSLContextParameters();
        KeyManagersParameters keys = new KeyManagersParameters();
        keys.setKeyStore(store(partner, (String) tls.get("keyStore"), (String) tls.get("keyStorePassword")));
        keys.setKeyPassword((String) tls.get("keyStorePassword"));
        parameters.setKeyManagers(keys);
        if (tls.get("trustStore") != null) {
            TrustManagersParameters trust = new TrustManagersParameters();
            trust.setKeyStore(store(partner, (String) tls.get("trustStore"), (String) tls.get("trustStorePassword")));
            parameters.setTrustManagers(trust);
        }
        return parameters;
    }

    private static KeyStoreParameters store(String partner, String file, String password) {
        if (!Files.isReadable(Path.of(file))) {
            throw new IllegalStateException("config/partners.yaml: the TLS store " + file + " of partner '" + partner
                    + "' cannot be read");
        }
        KeyStoreParameters store = new KeyStoreParameters();
        store.setResource("file:" + file);
        store.setType("PKCS12");
        store.setPassword(password);
        return store;
    }
}
