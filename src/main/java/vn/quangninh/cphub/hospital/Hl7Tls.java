package vn.quangninh.cphub.hospital;

import java.util.Map;

import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * TLS on the MLLP listener, by configuration: when {@code cphub.hl7.tls.keystore} (env
 * {@code CPHUB_HL7_TLS_KEYSTORE}, a PKCS12 file) is set, the listener speaks TLS with that key; otherwise
 * plain MLLP. The route names the context through the optional placeholder {@code cphub.hl7.tls.context},
 * which only exists when TLS is on.
 */
@Configuration
public class Hl7Tls {

    static final String BEAN = "hl7TlsContext";

    @Bean(BEAN)
    @ConditionalOnExpression("'${cphub.hl7.tls.keystore:}' != ''")
    SSLContextParameters hl7TlsContext(@Value("${cphub.hl7.tls.keystore}") String keystore,
                                @Value("${cphub.hl7.tls.keystore-password}") String password) {
        KeyStoreParameters store = new KeyStoreParameters();
        store.setResource("file:" + keystore);
        store.setPassword(password);
        store.setType("PKCS12");
        KeyManagersParameters keys = new KeyManagersParameters();
        keys.setKeyStore(store);
        keys.setKeyPassword(password);
        SSLContextParameters tls = new SSLContextParameters();
        tls.setKeyManagers(keys);
        return tls;
    }

    /**
     * Defines {@code cphub.hl7.tls.context=#hl7TlsContext} when a keystore is configured, once every
     * property source is in place and before Camel creates the listener's endpoint.
     */
    @Bean
    static BeanFactoryPostProcessor hl7TlsSwitch(ConfigurableEnvironment environment) {
        return beanFactory -> {
            String keystore = environment.getProperty("cphub.hl7.tls.keystore");
            if (keystore != null && !keystore.isBlank()) {
                environment.getPropertySources().addLast(new MapPropertySource("cphub-hl7-tls",
                        Map.of("cphub.hl7.tls.context", "#" + BEAN)));
            }
        };
    }
}
