package org.opentwag.radius.server.internal.osgi;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.opentwag.radius.server.internal.AccessPointGroup;
import org.opentwag.radius.server.internal.Subnet;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One access point group per factory configuration {@code org.opentwag.radius.client-<name>.cfg}. Changing a file
 * re-creates this component, which the server sees as unbind + bind: takes effect without restarting listeners.
 */
@Component(configurationPid = AccessPointGroupComponent.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = AccessPointGroupComponent.class)
@Designate(ocd = AccessPointGroupComponent.Config.class, factory = true)
public class AccessPointGroupComponent {
    /**
     * Kept as it ships ({@code etc/org.opentwag.radius.client-<name>.cfg}), like the metatype texts, the log lines and
     * the {@code radius_client_group_*} metrics: RADIUS calls an access point a "client", and operators' files and
     * dashboards name it so. In the code "client" is the phone (ClientState, twag:clients); the AP side is
     * "access point group".
     */
    public static final String FACTORY_PID = "org.opentwag.radius.client";

    @ObjectClassDefinition(name = "OpenTWAG RADIUS client group",
            description = "Access points allowed to use the RADIUS server: source subnets and their shared secret")
    public @interface Config {
        @AttributeDefinition(description = "Name shown in logs and the shell (default: the configuration PID)")
        String name() default "";

        @AttributeDefinition(description = "Source subnets in CIDR form (IPv4 or IPv6), comma separated; empty = any source (lab only)")
        String[] subnets() default {};

        @AttributeDefinition(type = AttributeType.PASSWORD, description = "Shared secret (use 20+ characters)")
        String secret();

        @AttributeDefinition(description = "Drop Access-Requests without Message-Authenticator (BlastRADIUS, CVE-2024-3596)")
        boolean requireMessageAuthenticator() default true;

        @AttributeDefinition(description = "UDP port of the access points' Dynamic Authorization Server (RFC 5176)")
        int dasPort() default 3799;

        @AttributeDefinition(description = "RadSec: client certificate names (subject CN or DNS subjectAltName, '*.domain' "
                + "for any name under it) of this group's clients, comma separated; empty = no RadSec for this group")
        String[] tlsPeerNames() default {};
    }

    private AccessPointGroup group;
    private String pid;

    @Activate
    void activate(Config config, java.util.Map<String, Object> properties) {
        pid = String.valueOf(properties.getOrDefault("service.pid", properties.get("component.id")));
        group = toGroup(config, pid);
    }

    static AccessPointGroup toGroup(Config config, String pid) {
        List<Subnet> subnets = new ArrayList<>();
        for (String entry : config.subnets()) {
            for (String cidr : entry.split(",")) {
                if (!cidr.isBlank()) {
                    subnets.add(Subnet.parse(cidr));
                }
            }
        }
        String name = config.name() == null || config.name().isBlank() ? pid : config.name().trim();
        if (config.secret() == null || config.secret().isEmpty()) {
            throw new IllegalArgumentException("RADIUS client group '" + name + "' has no secret: configure 'secret'");
        }
        List<String> tlsPeerNames = new ArrayList<>();
        for (String entry : config.tlsPeerNames()) {
            for (String peerName : entry.split(",")) {
                if (!peerName.isBlank()) {
                    tlsPeerNames.add(peerName.trim());
                }
            }
        }
        return new AccessPointGroup(name, subnets, config.secret().getBytes(StandardCharsets.UTF_8),
                config.requireMessageAuthenticator(), config.dasPort(), tlsPeerNames);
    }

    public AccessPointGroup group() {
        return group;
    }

    /** The configuration PID identifying this group in the registry. */
    public String pid() {
        return pid;
    }
}
