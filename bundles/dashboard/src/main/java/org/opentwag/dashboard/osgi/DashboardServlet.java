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

import javax.servlet.Servlet;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.opentwag.api.accounting.AccountingQueries;
import org.opentwag.api.charging.ChargingQueries;
import org.opentwag.api.state.StateStore;
import org.opentwag.api.vectors.AuthVectorSource;
import org.opentwag.dashboard.auth.BasicAuthenticator;
import org.opentwag.dashboard.rest.ConfigurationView;
import org.opentwag.dashboard.rest.OperatorBackend;
import org.opentwag.dashboard.rest.PeerView;
import org.opentwag.dashboard.rest.RestApi;
import org.opentwag.dashboard.web.DashboardHttpHandler;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.opentwag.passpoint.PasspointProfiles;
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
    private volatile StateStore stateStore;

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
    private volatile ClientDisconnector clientDisconnector;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ConfigurationAdmin configurationAdmin;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile PasspointProfiles passpointProfiles;

    private final Map<AuthVectorSource, String> vectorSources = new ConcurrentHashMap<>();

    private transient volatile DashboardHttpHandler handler;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addVectorSource(AuthVectorSource source, Map<String, Object> properties) {
        vectorSources.put(source, String.valueOf(properties.get(AuthVectorSource.SOURCE_PROPERTY)));
    }

    void removeVectorSource(AuthVectorSource source) {
        vectorSources.remove(source);
    }

    @Activate
    void activate(DashboardConfig config) {
        ObjectMapper json = new ObjectMapper();
        BasicAuthenticator authenticator = new BasicAuthenticator(new KarafJaasLogin(config.realm()),
                roles(config.allowedRoles()), roles(config.changeRoles()),
                Duration.ofSeconds(Math.max(0, config.loginCacheSeconds())), Clock.systemUTC());
        RestApi api = new RestApi(this, json, Clock.systemUTC(),
                Duration.ofSeconds(Math.max(1, config.answerTimeoutSeconds())));
        handler = new DashboardHttpHandler(authenticator, api, json, config.requireHttps());
        LOG.info("Dashboard and REST API active (realm {}, roles {}, HTTPS required: {})", config.realm(),
                roles(config.allowedRoles()), config.requireHttps());
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
    public Optional<PasspointProfiles> passpoint() {
        return Optional.ofNullable(passpointProfiles);
    }

    @Override
    public Optional<StateStore> clientStore() {
        return Optional.ofNullable(stateStore);
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
    public Optional<ClientDisconnector> disconnector() {
        return Optional.ofNullable(clientDisconnector);
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
