package org.opentwag.dashboard.osgi;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.servlet.Servlet;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.opentwag.api.accounting.AccountingQueries;
import org.opentwag.api.charging.ChargingQueries;
import org.opentwag.api.check.SafetyCheck;
import org.opentwag.api.metrics.CounterStore;
import org.opentwag.api.metrics.MetricsSource;
import org.opentwag.api.charging.ChargingQueries;
import org.opentwag.api.session.AccessSessions;
import org.opentwag.api.state.StateStore;
import org.opentwag.api.vectors.AuthVectorSource;
import org.opentwag.dashboard.auth.BasicAuthenticator;
import org.opentwag.dashboard.auth.LoginThrottle;
import org.opentwag.dashboard.rest.ConfigurationView;
import org.opentwag.dashboard.rest.OperatorBackend;
import org.opentwag.dashboard.rest.PeerView;
import org.opentwag.dashboard.rest.RestApi;
import org.opentwag.dashboard.web.DashboardHttpHandler;
import org.opentwag.dashboard.web.DashboardMetrics;
import org.opentwag.dashboard.web.SameOriginCheck;
import org.opentwag.passpoint.PasspointProfiles;
import org.opentwag.api.eap.ImsiPrivacy;
import org.opentwag.support.metrics.Counters;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.opentwag.api.trace.SubscriberTrace;
import org.opentwag.dashboard.history.MetricHistory;
import org.opentwag.dashboard.history.OverviewHistory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard ({@code /}) and REST API ({@code /api/*}) as one whiteboard servlet, so that no request can reach
 * either before the login check. Every data source is optional and dynamic: the page says "not installed" while one
 * is missing.
 */
@Component(service = Servlet.class, configurationPid = DashboardServlet.PID,
        property = {
                "osgi.http.whiteboard.servlet.name=opentwag-dashboard",
                "osgi.http.whiteboard.servlet.pattern=/",
                "osgi.http.whiteboard.servlet.pattern=/api/*"
        })
@Designate(ocd = DashboardConfig.class)
public class DashboardServlet extends HttpServlet implements OperatorBackend {

    public static final String PID = "org.opentwag.dashboard";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DashboardServlet.class);
    /** Config Admin filter for what the Configuration page shows. */
    static final String CONFIG_FILTER = "(|(service.pid=org.opentwag.*)(service.factoryPid=org.opentwag.*))";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AccessSessions accessSessions;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AccountingQueries accountingQueries;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ChargingQueries chargingQueries;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile PeerDirectory peerDirectory;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ConfigurationAdmin configurationAdmin;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile PasspointProfiles passpointProfiles;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ImsiPrivacy imsiPrivacy;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile org.opentwag.api.s2a.HomeRouting homeRouting;

    /**
     * Keeps the refusal counters across a {@code bundle:update} of the dashboard when present (static: the
     * component restarts when it comes or goes, as the counters are taken at activation).
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
    private CounterStore counterStore;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile SubscriberTrace subscriberTrace;

    private final Map<AuthVectorSource, String> vectorSources = new ConcurrentHashMap<>();
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile OverviewHistory overviewHistory;
    /** Every bundle's safety check, for GET /api/check and the page's banner. */
    private final List<SafetyCheck> safetyChecks = new CopyOnWriteArrayList<>();
    private transient volatile ServiceRegistration<MetricsSource> metricsRegistration;

    private transient volatile DashboardHttpHandler handler;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addVectorSource(AuthVectorSource source, Map<String, Object> properties) {
        vectorSources.put(source, String.valueOf(properties.get(AuthVectorSource.SOURCE_PROPERTY)));
    }

    void removeVectorSource(AuthVectorSource source) {
        vectorSources.remove(source);
    }


    @Override
    public Optional<MetricHistory> history() {
        OverviewHistory h = overviewHistory;
        return h == null ? Optional.empty() : Optional.of(h.history());
    }

    @Override
    public Optional<SubscriberTrace> trace() {
        return Optional.ofNullable(subscriberTrace);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addSafetyCheck(SafetyCheck check) {
        safetyChecks.add(check);
    }

    void removeSafetyCheck(SafetyCheck check) {
        safetyChecks.remove(check);
    }

    @Activate
    void activate(DashboardConfig config, BundleContext context) {
        ObjectMapper json = new ObjectMapper();
        LoginThrottle.Limits limits = limits(config);
        BasicAuthenticator authenticator = new BasicAuthenticator(new KarafJaasLogin(config.realm()),
                roles(config.allowedRoles()), roles(config.changeRoles()),
                Duration.ofSeconds(Math.max(0, config.loginCacheSeconds())), Clock.systemUTC(),
                new LoginThrottle(limits, Clock.systemUTC()));
        RestApi api = new RestApi(this, json, Clock.systemUTC(),
                Duration.ofSeconds(Math.max(1, config.answerTimeoutSeconds())));
        Counters counters = new Counters(counterStore, DashboardMetrics.LOGIN_THROTTLED);
        DashboardMetrics metrics = new DashboardMetrics(counters);
        handler = new DashboardHttpHandler(authenticator, api, json, config.requireHttps(),
                new SameOriginCheck(roles(config.allowedOrigins())), metrics);
        metricsRegistration = context.registerService(MetricsSource.class, metrics, null);

        LOG.info("Dashboard and REST API active (realm {}, roles {}, HTTPS required: {}, wrong passwords allowed: "
                        + "{} per user, {} per address in {} s{})", config.realm(), roles(config.allowedRoles()),
                config.requireHttps(), limits.perUser(), limits.perAddress(), limits.window().toSeconds(),
                limits.perUser() == 0 || limits.perAddress() == 0 ? "; 0 = NO LIMIT" : "");
    }

    @Deactivate
    void deactivate() {
        ServiceRegistration<MetricsSource> r = metricsRegistration;
        metricsRegistration = null;
        if (r != null) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping and the framework unregistered it first
            }
        }
    }

    /** The configured login limits; out-of-range values fall back to the defaults, with a warning. */
    static LoginThrottle.Limits limits(DashboardConfig config) {
        try {
            return new LoginThrottle.Limits(config.loginFailuresPerUser(), config.loginFailuresPerAddress(),
                    Duration.ofSeconds(config.loginFailureWindowSeconds()), config.loginTrackedMax());
        } catch (IllegalArgumentException e) {
            LOG.warn("Dashboard login limits not valid ({}); using the defaults {}", e.getMessage(),
                    LoginThrottle.Limits.defaults());
            return LoginThrottle.Limits.defaults();
        }
    }

    @Override
    public List<SafetyCheck> safetyChecks() {
        return List.copyOf(safetyChecks);
    }

    /** A .cfg file gives "admin,viewer" as one string; metatype or typed configs give an array. Both work. */
    static Set<String> roles(String[] values) {
        Set<String> out = new java.util.TreeSet<>();
        for (String v : values == null ? new String[0] : values) {
            for (String role : v.split(",")) {
                if (!role.isBlank()) {
                    out.add(role.strip());
                }
            }
        }
        return out;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        handler.handle(req, resp);
    }

    @Override
    public Optional<ImsiPrivacy> imsiPrivacy() {
        return Optional.ofNullable(imsiPrivacy);
    }

    @Override
    public Optional<PasspointProfiles> passpoint() {
        return Optional.ofNullable(passpointProfiles);
    }

    @Override
    public Optional<org.opentwag.api.s2a.HomeRouting> homeRouting() {
        return Optional.ofNullable(homeRouting);
    }

    @Override
    public Optional<AccessSessions> accessSessions() {
        return Optional.ofNullable(accessSessions);
    }

    @Override
    public Optional<AccountingQueries> accounting() {
        return Optional.ofNullable(accountingQueries);
    }

    @Override
    public Optional<ChargingQueries> charging() {
        return Optional.ofNullable(chargingQueries);
    }

    @Override
    public Optional<List<PeerView>> peers() {
        PeerDirectory d = peerDirectory;
        return d == null ? Optional.empty() : Optional.of(d.peers());
    }

    @Override
    public Optional<AuthVectorSource> vectorSource(String name) {
        return vectorSources.entrySet().stream().filter(e -> name.equals(e.getValue())).map(Map.Entry::getKey)
                .findFirst();
    }

    @Override
    public Optional<List<ConfigurationView>> configurations() {
        ConfigurationAdmin cm = configurationAdmin;
        if (cm == null) {
            return Optional.empty();
        }
        try {
            Configuration[] found = cm.listConfigurations(CONFIG_FILTER);
            List<ConfigurationView> views = new ArrayList<>();
            for (Configuration c : found == null ? new Configuration[0] : found) {
                Dictionary<String, Object> props = c.getProperties();
                Map<String, Object> raw = new HashMap<>();
                if (props != null) {
                    for (String key : Collections.list(props.keys())) {
                        raw.put(key, props.get(key));
                    }
                }
                views.add(ConfigurationView.of(c.getPid(), c.getFactoryPid(), raw));
            }
            views.sort(Comparator.comparing(ConfigurationView::pid));
            return Optional.of(views);
        } catch (IOException | org.osgi.framework.InvalidSyntaxException e) {
            LOG.warn("Cannot list configurations: {}", e.getMessage());
            return Optional.of(List.of());
        }
    }
}
