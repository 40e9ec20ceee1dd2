package org.opentwag.passpoint.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.opentwag.passpoint.Finding;
import org.opentwag.passpoint.GeneratedFile;
import org.opentwag.passpoint.PasspointFormat;
import org.opentwag.passpoint.PasspointProfile;
import org.opentwag.passpoint.PasspointProfiles;
import org.opentwag.passpoint.PasspointValidator;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PasspointProfiles} as an OSGi service. Each call reads the configurations again (its own PID and the
 * TWAG's RADIUS, Diameter, SWx and EAP-AKA ones through Config Admin), so a change to any of them shows at once and
 * the component keeps no state worth losing on {@code bundle:update}.
 */
@Component(service = PasspointProfiles.class, configurationPid = PasspointComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = PasspointComponent.Config.class)
public class PasspointComponent implements PasspointProfiles {

    public static final String PID = "org.opentwag.passpoint";

    @ObjectClassDefinition(name = "OpenTWAG Passpoint", description = "Hotspot 2.0 AP configuration and device profiles")
    public @interface Config {
        @AttributeDefinition(description = "SSID of the Passpoint network")
        String ssid() default "OperatorWiFi";

        @AttributeDefinition(description = "MCC-MNC list, MNC at its true length (505-57, 310-026)")
        String plmns() default "";

        @AttributeDefinition(description = "RADIUS secret reference: env:NAME or placeholder:TEXT, never the secret")
        String secretReference() default "env:OPENTWAG_RADIUS_SECRET";
    }

    private static final Logger LOG = LoggerFactory.getLogger(PasspointComponent.class);

    private final ConfigurationAdmin configAdmin;
    private final ProfileAssembler assembler = new ProfileAssembler();

    @Activate
    public PasspointComponent(@Reference ConfigurationAdmin configAdmin) {
        this.configAdmin = configAdmin;
        logFindings();
    }

    @Modified
    void modified() {
        logFindings();
    }

    private void logFindings() {
        try {
            List<Finding> findings = validate();
            long problems = findings.stream().filter(f -> f.severity() != Finding.Severity.INFO).count();
            LOG.info("Passpoint profile: {} finding(s) needing attention (twag:passpoint all shows them)", problems);
            findings.stream().filter(f -> f.severity() == Finding.Severity.ERROR)
                    .forEach(f -> LOG.warn("Passpoint: {}", f));
        } catch (RuntimeException e) {
            LOG.warn("Passpoint configuration ({}) is invalid: {}", PID, e.getMessage());
        }
    }

    @Override
    public PasspointProfile profile() {
        return assemble().profile();
    }

    @Override
    public List<Finding> validate() {
        ProfileAssembler.Result r = assemble();
        List<Finding> out = new ArrayList<>(PasspointValidator.validate(r.profile(), r.twag()));
        out.addAll(r.derived());
        out.sort(Comparator.comparing(Finding::severity));
        return out;
    }

    @Override
    public GeneratedFile generate(PasspointFormat format) {
        return format.generate(profile());
    }

    private ProfileAssembler.Result assemble() {
        return assembler.assemble(new ProfileAssembler.Sources(properties(PID), properties("org.opentwag.radius"),
                factoryProperties("org.opentwag.radius.client"), properties("org.opentwag.diameter"),
                properties("org.opentwag.swx"), properties("org.opentwag.eap.aka")));
    }

    private Map<String, ?> properties(String pid) {
        List<Map<String, ?>> l = find("(service.pid=" + pid + ")");
        return l.isEmpty() ? Map.of() : l.get(0);
    }

    private List<Map<String, ?>> factoryProperties(String factoryPid) {
        List<Map<String, ?>> l = find("(service.factoryPid=" + factoryPid + ")");
        // The group named "default" first: its DAS port is the one the generated AP configuration uses.
        l.sort(Comparator.comparing(m -> "default".equals(String.valueOf(m.get("name"))) ? 0 : 1));
        return l;
    }

    private List<Map<String, ?>> find(String filter) {
        try {
            Configuration[] configs = configAdmin.listConfigurations(filter);
            List<Map<String, ?>> out = new ArrayList<>();
            for (Configuration c : configs == null ? new Configuration[0] : configs) {
                Dictionary<String, Object> d = c.getProperties();
                if (d != null) {
                    Map<String, Object> m = new HashMap<>();
                    for (Enumeration<String> keys = d.keys(); keys.hasMoreElements();) {
                        String k = keys.nextElement();
                        m.put(k, d.get(k));
                    }
                    out.add(Collections.unmodifiableMap(m));
                }
            }
            return out;
        } catch (IOException | InvalidSyntaxException e) {
            LOG.warn("Passpoint: cannot read configuration {}: {}", filter, e.toString());
            return new ArrayList<>();
        }
    }
}
