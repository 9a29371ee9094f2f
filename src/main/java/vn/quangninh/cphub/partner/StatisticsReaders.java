package vn.quangninh.cphub.partner;

import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.HubHeaders;
import vn.quangninh.cphub.model.NotPermitted;

/**
 * The one check in front of every statistics feed of the partner API (calls per line, the programme's report): only a
 * partner marked {@code statistics: true} in config/partners.yaml reads them. A step of their routes, after sign-in.
 */
@Component("statisticsReaders")
public class StatisticsReaders {

    private final PartnerRegistry partners;

    public StatisticsReaders(PartnerRegistry partners) {
        this.partners = partners;
    }

    /** @throws NotPermitted (403) for a partner that does not read statistics */
    public void check(Exchange exchange) {
        String partner = exchange.getProperty(HubHeaders.PARTNER, String.class);
        if (partners.find(partner).filter(Partner::readsStatistics).isEmpty()) {
            throw new NotPermitted("not_a_statistics_reader",
                    "Partner '" + partner + "' may not read statistics (statistics: true in config/partners.yaml)");
        }
    }
}
