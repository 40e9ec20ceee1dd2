package org.opentwag.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.After;
import org.junit.Test;

/**
 * A cluster's accounting records in one PostgreSQL (docs/cluster.md): two nodes booted with the features
 * opentwag-state-hazelcast and opentwag-accounting-postgresql from etc/ (as configuration management would lay
 * them), a real PostgreSQL server started for the test, and psql to read what the nodes wrote. A session started on
 * one node and stopped on the other is one session, two rows; the Stop after the first node's SIGKILL too.
 */
public class ClusterPostgresIT {

    private static final String SECRET = "cluster-pg-secret";
    private static final int PG_PORT = 25432;
    private static final int A_HZ = 25821;
    private static final int B_HZ = 25831;
    private static final String NAS = "10.78.0.1";

    private final List<StandaloneDistribution> nodes = new ArrayList<>();
    private ThrowawayPostgres pg;

    @After
    public void stopAll() throws Exception {
        nodes.forEach(StandaloneDistribution::close);
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    public void twoNodesWriteOneSessionToOneDatabase() throws Exception {
        pg = ThrowawayPostgres.start(PG_PORT);
        StandaloneDistribution a = node("pga", 23832, 23833, A_HZ);
        StandaloneDistribution b = node("pgb", 23842, 23843, B_HZ);
        awaitMetric(a, "state_cluster_members", 2, 120);
        awaitMetric(b, "state_cluster_members", 2, 120);

        String user = "0001010000000005" + Eapol.REALM;
        accounting(23833, "Start", "pg-s1", user);
        accounting(23843, "Stop", "pg-s1", user);
        assertEquals("1,2", pg.psql(ThrowawayPostgres.DATABASE, "SELECT string_agg(status_type::text, ',' ORDER BY id)"
                + " FROM accounting_record WHERE acct_session_id = 'pg-s1'"));
        awaitMetric(a, "accounting_open_sessions_count", 0, 30);

        accounting(23833, "Start", "pg-s2", user);
        awaitMetric(b, "accounting_open_sessions_count", 1, 30);
        a.killMinus9();
        accounting(23843, "Stop", "pg-s2", user);
        awaitMetric(b, "accounting_open_sessions_count", 0, 30);
        assertEquals("1,2", pg.psql(ThrowawayPostgres.DATABASE, "SELECT string_agg(status_type::text, ',' ORDER BY id)"
                + " FROM accounting_record WHERE acct_session_id = 'pg-s2'"));
        assertEquals("4", pg.psql(ThrowawayPostgres.DATABASE, "SELECT count(*) FROM accounting_record"
                + " WHERE nas_ip = '" + NAS + "'"));
    }

    private StandaloneDistribution node(String name, int auth, int acct, int hzPort) throws Exception {
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("org.opentwag.diameter.cfg:originHost", "twag-" + name + ".localdomain");
        extra.put("org.opentwag.hsssim.cfg:peerHost", "twag-" + name + ".localdomain");
        extra.put("org.opentwag.ocssim.cfg:peerHost", "twag-" + name + ".localdomain");
        extra.put("org.opentwag.accounting.cfg:url", pg.jdbcUrl());
        extra.put("org.opentwag.accounting.cfg:user", ThrowawayPostgres.USER);
        extra.put("org.opentwag.accounting.cfg:dataSourceFactory.target", "(osgi.jdbc.driver.class=org.postgresql.Driver)");
        extra.put("org.opentwag.state.hazelcast.cfg:clusterName", "cluster-pg-it");
        extra.put("org.opentwag.state.hazelcast.cfg:port", String.valueOf(hzPort));
        extra.put("org.opentwag.state.hazelcast.cfg:portCount", "1");
        extra.put("org.opentwag.state.hazelcast.cfg:members", "127.0.0.1:" + A_HZ + ",127.0.0.1:" + B_HZ);
        extra.put("org.opentwag.state.hazelcast.cfg:joinWaitSeconds", "2");
        StandaloneDistribution d = StandaloneDistribution.start("cluster-" + name, auth, acct, SECRET, extra,
                home -> bootAlso(home, "opentwag-state-hazelcast", "opentwag-accounting-postgresql"));
        nodes.add(d);
        return d;
    }

    /** Adds features to featuresBoot in etc/org.apache.karaf.features.cfg, before the umbrella feature. */
    private static void bootAlso(Path home, String... features) throws Exception {
        Path cfg = home.resolve("etc/org.apache.karaf.features.cfg");
        StringBuilder extra = new StringBuilder();
        for (String f : features) {
            extra.append("    ").append(f).append(", \\\n");
        }
        String text = Files.readString(cfg, StandardCharsets.UTF_8);
        String patched = text.replaceFirst("(?m)^(featuresBoot\\s*=\\s*\\\\\\n)", "$1" + extra.toString()
                .replace("\\", "\\\\"));
        if (patched.equals(text)) {
            throw new AssertionError("no featuresBoot in " + cfg);
        }
        Files.writeString(cfg, patched, StandardCharsets.UTF_8);
    }

    private static void accounting(int port, String status, String session, String user) throws Exception {
        String attributes = "Acct-Status-Type = " + status + "\nAcct-Session-Id = \"" + session + "\"\n"
                + "User-Name = \"" + user + "\"\nNAS-IP-Address = " + NAS + "\n"
                + "Acct-Input-Octets = 1000\nAcct-Output-Octets = 2000\nAcct-Session-Time = 60\n";
        ExternalTool.Result r = ExternalTool.run(List.of("radclient", "-x", "-r", "2", "-t", "5",
                "127.0.0.1:" + port, "acct", SECRET), attributes.getBytes(StandardCharsets.US_ASCII), 30);
        assertTrue(r.output(), r.output().contains("Received Accounting-Response"));
    }

    private static void awaitMetric(StandaloneDistribution n, String series, double expected, int seconds)
            throws Exception {
        Metrics.await(n.metricsPort(), series, expected, seconds);
    }
}
