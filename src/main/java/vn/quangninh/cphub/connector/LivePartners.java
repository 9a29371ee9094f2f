package vn.quangninh.cphub.connector;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.clock.ClockPolicy;
import vn.quangninh.cphub.delivery.PartnerCircuits;
import vn.quangninh.cphub.partner.Partner;
import vn.quangninh.cphub.partner.PartnerRegistry;
import vn.quangninh.cphub.routing.RoutingRules;
import vn.quangninh.cphub.routing.RuleSet;
import vn.quangninh.cphub.site.Site;
import vn.quangninh.cphub.site.SiteRegistry;

/**
 * {@code config/partners.yaml} changed on a running hub: checked every {@code cphub.connectors.reload-interval}
 * (0 = read at start-up only), and applied when it passes the same checks as at start-up.
 * <ul>
 * <li>A partner added with a sink gets its circuits and its two delivery routes; one whose sink changed (URL,
 *     auth, connector) gets new routes, its circuit's state kept; one whose sink is gone has its routes stopped
 *     gracefully and removed. What waits in its queues stays there, for the next version or an operator.</li>
 * <li>Sign-in, HL7 identities and statistics rights follow the new file at once (they read the registry).</li>
 * <li>The file is refused, and the partners before it stay, when it does not read or check (an entry named by
 *     its index), a sink's parameters do not fit its connector, a partner that {@code routing.yaml},
 *     {@code clocks.yaml} (escalations) or {@code sites.yaml} (camera alerts) still sends to is gone or has no sink, or a changed sink's routes cannot be created (then the old ones are put back).</li>
 * </ul>
 * Logged: partner ids and why, never a secret.
 */
@Component
public class LivePartners implements CamelContextConfiguration, DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(LivePartners.class);

    private final PartnerRegistry partners;
    private final ConnectorInstaller installer;
    private final PartnerCircuits circuits;
    private final AgencyTls tls;
    private final RoutingRules routing;
    private final ClockPolicy clocks;
    private final SiteRegistry sites;
    private final Duration interval;
    private CamelContext camel;
    private ScheduledExecutorService timer;
    private String lastSeen;

    public LivePartners(PartnerRegistry partners, ConnectorInstaller installer, PartnerCircuits circuits, AgencyTls tls,
                        RoutingRules routing, ClockPolicy clocks, SiteRegistry sites,
                        @Value("${cphub.connectors.reload-interval:2s}") Duration interval) {
        this.partners = partners;
        this.installer = installer;
        this.circuits = circuits;
        this.tls = tls;
        this.routing = routing;
        this.clocks = clocks;
        this.sites = sites;
        this.interval = interval;
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        this.camel = camelContext;
        this.lastSeen = text();
        if (interval.isZero() || interval.isNegative()) {
            return;
        }
        timer = FileChecks.every(interval, "cphub-live-partners", partners.file().getFileName().toString(), this::check);
        LOG.info("{} is applied live, checked every {}", partners.file().getFileName(), interval);
    }

    @Override
    public void destroy() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** Applies the file if it changed since the last look (a refused version is not tried again until it changes). */
    synchronized void check() {
        if (camel == null || !camel.getStatus().isStarted()) {
            return;
        }
        String text = text();
        if (text == null || text.equals(lastSeen)) {
            return;
        }
        lastSeen = text;
        try {
            apply();
        } catch (Refused refused) {
            LOG.error("{} changed but was refused, the partners before it stay: {}", partners.file().getFileName(),
                    refused.getMessage());
        }
    }

    private void apply() {
        Map<String, Partner> next;
        try {
            next = partners.read();
        } catch (RuntimeException unreadable) {
            throw new Refused(unreadable.getMessage());
        }
        for (Partner p : next.values()) {
            if (p.sink() != null) {
                try {
                    installer.checkParameters(p);
                } catch (IllegalStateException misfit) {
                    throw new Refused(misfit.getMessage());
                }
            }
        }
        for (Map.Entry<String, String> needed : sentTo().entrySet()) {
            Partner p = next.get(needed.getKey());
            if (p == null || p.sink() == null) {
                throw new Refused(needed.getValue() + " partner '" + needed.getKey() + "', which would have "
                        + (p == null ? "gone" : "no sink") + ": change that file first");
            }
        }
        Map<String, Partner> before = partners.snapshot();
        Set<String> changed = new TreeSet<>();
        Set<String> ids = new TreeSet<>(before.keySet());
        ids.addAll(next.keySet());
        for (String id : ids) {
            if (!Objects.equals(sinkOf(before, id), sinkOf(next, id))) {
                changed.add(id);
            }
        }
        removeSinks(before, changed);
        partners.use(next);
        List<String> installed = new ArrayList<>();
        try {
            for (String id : changed) {
                if (next.get(id) != null && next.get(id).sink() != null) {
                    install(next.get(id));
                    installed.add(id);
                }
            }
        } catch (RuntimeException notCreated) {
            removeSinks(next, Set.copyOf(installed));
            partners.use(before);
            for (String id : changed) {
                if (before.get(id) != null && before.get(id).sink() != null) {
                    install(before.get(id));
                }
            }
            throw new Refused("the delivery routes could not be created: " + FileChecks.rootCause(notCreated).getMessage());
        }
        LOG.info("{} applied: {} partners; delivery routes changed for {}", partners.file().getFileName(), next.size(),
                changed.isEmpty() ? "none" : String.join(", ", changed));
    }

    /**
     * A sink connector's route templates replaced on the running hub ({@link LiveConnectors}): the delivery routes
     * made from them are taken down (gracefully), {@code replace} swaps the templates and the routes are made again
     * from the new ones. If the new ones fail — the swap or a route — {@code restore} puts the old templates back and
     * the routes are made from them again; the failure is rethrown.
     */
    synchronized void remakeSinksOf(Set<String> connectors, Runnable replace, Runnable restore) {
        Map<String, Partner> users = new java.util.TreeMap<>();
        partners.snapshot().values().stream()
                .filter(p -> p.sink() != null && connectors.contains(p.sink().connector()))
                .forEach(p -> users.put(p.id(), p));
        removeSinks(users, users.keySet());
        try {
            replace.run();
            users.values().forEach(this::install);
        } catch (RuntimeException failed) {
            removeSinks(users, users.keySet());
            restore.run();
            users.values().forEach(this::install);
            throw failed;
        }
        if (!users.isEmpty()) {
            LOG.info("Delivery routes of {} made again from the changed connector {}", users.keySet(), connectors);
        }
    }

    private void install(Partner partner) {
        circuits.install(camel, partner.id());
        tls.install(camel, partner);
        installer.install(camel, partner);
    }

    /** Stops (gracefully: the message in hand is finished) and removes the delivery routes of these partners. */
    private void removeSinks(Map<String, Partner> version, Set<String> ids) {
        for (String id : ids) {
            if (version.get(id) == null || version.get(id).sink() == null) {
                continue;
            }
            for (String routeId : ConnectorInstaller.routeIds(id)) {
                try {
                    if (camel.getRoute(routeId) != null) {
                        camel.getRouteController().stopRoute(routeId);
                        camel.removeRoute(routeId);
                        LOG.info("Delivery route {} of partner {} stopped and removed", routeId, id);
                    }
                } catch (Exception e) {
                    throw new Refused("route " + routeId + " of partner '" + id + "' could not be stopped: " + e);
                }
            }
        }
    }

    /** The partners the other operator files send to, each with the file that does: they must keep a sink. */
    private Map<String, String> sentTo() {
        Map<String, String> named = new java.util.TreeMap<>();
        for (RuleSet.Rule rule : routing.current().rules()) {
            rule.send().forEach(recipient -> named.putIfAbsent(recipient.partner(), "config/routing.yaml sends referrals to"));
        }
        if (clocks.escalateTo() != null) {
            named.putIfAbsent(clocks.escalateTo(), "config/clocks.yaml escalates to");
        }
        for (Site site : sites.sitesWithDevices()) {
            for (String partner : java.util.Arrays.asList(site.verifier(), site.duty())) {
                if (partner != null) {
                    named.putIfAbsent(partner, "config/sites.yaml sends camera alerts of site " + site.id() + " to");
                }
            }
        }
        return named;
    }

    private static Partner.Sink sinkOf(Map<String, Partner> version, String id) {
        Partner p = version.get(id);
        return p == null ? null : p.sink();
    }

    private String text() {
        try {
            return Files.readString(partners.file());
        } catch (IOException e) {
            return null;
        }
    }

    /** Why a version of the file is not applied. */
    private static final class Refused extends RuntimeException {
        Refused(String why) {
            super(why);
        }
    }
}
