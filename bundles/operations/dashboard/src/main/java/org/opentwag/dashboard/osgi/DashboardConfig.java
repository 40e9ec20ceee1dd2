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

    @AttributeDefinition(description = "Wrong passwords allowed in a row for one user name before 429 (0: no limit)")
    int loginFailuresPerUser() default 5;

    @AttributeDefinition(description = "Wrong passwords allowed in a row from one address (IPv6: per /64) before "
            + "429 (0: no limit)")
    int loginFailuresPerAddress() default 20;

    @AttributeDefinition(description = "Seconds in which a full budget of wrong passwords is forgiven again "
            + "(after a lockout, one attempt more every window / limit)")
    int loginFailureWindowSeconds() default 300;

    @AttributeDefinition(description = "User names and addresses tracked each; beyond, new ones share one budget")
    int loginTrackedMax() default 10000;

    @AttributeDefinition(description = "Origins allowed to send state-changing requests besides the server's own "
            + "(e.g. https://twag.example.net behind a reverse proxy)")
    String[] allowedOrigins() default {};
}
