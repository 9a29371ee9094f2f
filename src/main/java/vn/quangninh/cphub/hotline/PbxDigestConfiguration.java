package vn.quangninh.cphub.hotline;

import java.time.Clock;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import vn.quangninh.cphub.sip.SipDigestAuthenticator;

/**
 * The PBX's digest credentials ({@code cphub.sip.digest.*}), as a bean the SIP route names, so the
 * password never becomes a route parameter (Hawtio shows those). Off while no password is set.
 */
@Configuration(proxyBeanMethods = false)
public class PbxDigestConfiguration {

    @Bean
    public SipDigestAuthenticator pbxDigest(@Value("${cphub.sip.digest.realm}") String realm,
                                            @Value("${cphub.sip.digest.username}") String username,
                                            @Value("${cphub.sip.digest.password:}") String password, Clock clock) {
        return new SipDigestAuthenticator(realm, username, password, clock);
    }
}
