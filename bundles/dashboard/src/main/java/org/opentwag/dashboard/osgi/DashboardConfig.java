package org.opentwag.dashboard.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "OpenTWAG dashboard and REST API",
        description = "Login and behaviour of the HTTPS dashboard (/) and REST API (/api). The HTTPS port and the "
                + "certificate are Pax Web's: etc/org.ops4j.pax.web.cfg.")
public @interface DashboardConfig {

    @AttributeDefinition(description = "Karaf JAAS realm checking the Basic credentials")
    String realm() default "karaf";

    @AttributeDefinition(description = "Roles that may see the dashboard and call GET endpoints")
    String[] allowedRoles() default {"admin", "viewer"};

    @AttributeDefinition(description = "Roles that may also act: vector test (MAR), client disconnect")
    String[] changeRoles() default {"admin"};

    @AttributeDefinition(description = "Seconds a successful login is remembered (0: check every request)")
    int loginCacheSeconds() default 60;

    @AttributeDefinition(description = "Seconds to wait for a vector (MAR/MAA) answer")
    int answerTimeoutSeconds() default 10;

    @AttributeDefinition(description = "Refuse requests that did not come over HTTPS")
    boolean requireHttps() default true;
}
