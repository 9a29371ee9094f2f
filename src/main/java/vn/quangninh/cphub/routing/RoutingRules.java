package vn.quangninh.cphub.routing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jmx.export.annotation.ManagedAttribute;
import org.springframework.jmx.export.annotation.ManagedOperation;
import org.springframework.jmx.export.annotation.ManagedResource;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import vn.quangninh.cphub.clock.ClockPolicy;
import vn.quangninh.cphub.config.OperatorFiles;
import vn.quangninh.cphub.incident.Incident;
import vn.quangninh.cphub.partner.PartnerRegistry;
import vn.quangninh.cphub.site.SiteRegistry;

/**
 * The routing rules in force: {@code config/routing.yaml} as last validated. The file is checked at
 * start-up (the hub does not start with a bad one) and every few seconds after: a changed file that
 * validates replaces the rules without a restart; one that does not is refused, logged with the line to
 * fix, and the previous rules stay. Hawtio shows the version in force and the last refusal
 * ({@code vn.quangninh.cphub:name=routingRules}); an operator may also ask for a reload there.
 */
@Component
@ManagedResource(objectName = "vn.quangninh.cphub:name=routingRules", description = "Routing rules of config/routing.yaml")
public class RoutingRules {

    private static final Logger LOG = LoggerFactory.getLogger(RoutingRules.class);

    private final OperatorFiles files;
    private final Path file;
    private final RoutingFile parser;
    private final SiteRegistry sites;
    private final MeterRegistry meters;
    private final AtomicReference<RuleSet> current = new AtomicReference<>();
    private volatile String lastText;
    private volatile String lastRefusal;
    private volatile Instant lastRefusedAt;

    public RoutingRules(OperatorFiles files, PartnerRegistry partners, ClockPolicy clocks, SiteRegistry sites,
                        MeterRegistry meters) {
        this.files = files;
        this.file = files.resolve("routing.yaml");
        this.parser = new RoutingFile(file, partners, clocks.names());
        this.sites = sites;
        this.meters = meters;
        this.lastText = files.text(file);
        current.set(parser.parse(lastText));
    }

    public List<RuleSet.Match> recipientsFor(Incident incident) {
        return current.get().recipientsFor(incident, sites);
    }

    public RuleSet current() {
        return current.get();
    }

    /** Checks the file for a change; called on a fixed delay ({@code cphub.routing.reload-interval}). */
    @Scheduled(fixedDelayString = "${cphub.routing.reload-interval}", initialDelayString = "${cphub.routing.reload-interval}")
    public void reloadIfChanged() {
        if (!Files.isRegularFile(file)) {
            refuse("the file is missing; the rules in force stay");
            return;
        }
        String text;
        try {
            text = files.text(file);
        } catch (RuntimeException e) {
            refuse(e.getMessage());
            return;
        }
        if (!text.equals(lastText)) {
            lastText = text;
            apply(text);
        } else if (lastRefusal != null && current.get().version().equals(RoutingFile.sha256(text))) {
            lastRefusal = null; // the file in force is back (it was missing for a while)
        }
    }

    @ManagedOperation(description = "Read config/routing.yaml again now; returns the outcome")
    public String reload() {
        try {
            lastText = files.text(file);
        } catch (RuntimeException e) {
            refuse(e.getMessage());
            return "refused: " + e.getMessage();
        }
        return apply(lastText);
    }

    private String apply(String text) {
        try {
            RuleSet next = parser.parse(text);
            current.set(next);
            lastRefusal = null;
            meters.counter("cphub.routing.reloads", "outcome", "applied").increment();
            LOG.info("Routing rules reloaded from {}: {} rules, version {}", file, next.rules().size(), next.version().substring(0, 12));
            return "applied version " + next.version();
        } catch (OperatorFiles.InvalidOperatorFileException e) {
            refuse(e.getMessage());
            return "refused: " + e.getMessage();
        }
    }

    private void refuse(String reason) {
        if (!reason.equals(lastRefusal)) {
            LOG.error("Routing rules NOT reloaded, the previous rules (version {}) stay in force: {}",
                    current.get().version().substring(0, 12), reason);
            meters.counter("cphub.routing.reloads", "outcome", "refused").increment();
        }
        lastRefusal = reason;
        lastRefusedAt = Instant.now();
    }

    @ManagedAttribute(description = "sha-256 of the routing file in force")
    public String getVersion() {
        return current.get().version();
    }

    @ManagedAttribute(description = "When the rules in force were loaded")
    public String getLoadedAt() {
        return current.get().loadedAt().toString();
    }

    @ManagedAttribute(description = "Number of rules in force")
    public int getRuleCount() {
        return current.get().rules().size();
    }

    @ManagedAttribute(description = "Why the last changed file was refused (empty when the file in force is the latest)")
    public String getLastRefusal() {
        return lastRefusal == null ? "" : lastRefusedAt + " " + lastRefusal;
    }
}
