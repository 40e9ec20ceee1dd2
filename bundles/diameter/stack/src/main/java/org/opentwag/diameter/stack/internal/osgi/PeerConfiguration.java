package org.opentwag.diameter.stack.internal.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "OpenTWAG Diameter peer",
        description = "One HSS, DRA or OCS (one etc/org.opentwag.diameter.peer-<name>.cfg per peer)")
@interface PeerConfiguration {
    @AttributeDefinition(description = "The peer's Origin-Host")
    String host();

    @AttributeDefinition(description = "The realm it serves; empty = learnt from its CER/CEA")
    String realm() default "";

    @AttributeDefinition(description = "IP address or name to connect to")
    String address() default "";

    @AttributeDefinition(description = "Port")
    int port() default 3868;

    @AttributeDefinition(description = "tcp or tls (tls needs tlsKeyStore and tlsTrustStore on the node; the peer's certificate must name host)")
    String transport() default "tcp";

    @AttributeDefinition(description = "true: we connect to it; false: it connects to us")
    boolean initiateConnection() default true;

    @AttributeDefinition(description = "Applications used with this peer: swx, gy or numeric ids; empty = all in common")
    String[] applications() default {};

    @AttributeDefinition(description = "Default route (DRA): takes requests for realms no other peer serves (also accepted as 'default')")
    boolean defaultRoute() default false;
}
