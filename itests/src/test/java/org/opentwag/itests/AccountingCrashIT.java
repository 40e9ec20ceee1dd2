package org.opentwag.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.After;
import org.junit.Test;
import org.opentwag.radius.codec.RadiusAttribute;
import org.opentwag.radius.codec.RadiusCode;
import org.opentwag.radius.codec.RadiusDictionary;
import org.opentwag.radius.codec.RadiusPacket;
import org.opentwag.radius.codec.RadiusRequestEncoder;

/**
 * "An accounting record is durable before the Accounting-Response goes out", tested the hard way: the distribution
 * runs as its own process, APs flood it with Accounting-Requests, the JVM is killed with SIGKILL mid-flood, and every
 * request that had been acknowledged must be in the database file afterwards.
 */
public class AccountingCrashIT {

    private static final int AUTH_PORT = 22812;
    private static final int ACCT_PORT = 22813;
    private static final String SECRET = "crash-test-secret";
    private static final int SOCKETS = 4;
    private static final int WINDOW = 128;
    private static final long FLOOD_MILLIS = 3_000;

    private Process karaf;

    /** A private copy of the distribution with every port moved, so neither other tests nor a running server mind. */
    private static Path prepareDistribution() throws IOException {
        Path source = Path.of("../karaf-assembly/target/assembly").toAbsolutePath().normalize();
        Path target = Path.of("target/crash/assembly").toAbsolutePath();
        if (Files.exists(target)) {
            try (Stream<Path> old = Files.walk(target)) {
                old.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        try (Stream<Path> files = Files.walk(source)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path to = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else if (!p.startsWith(source.resolve("data"))) {
                    Files.copy(p, to, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        Path etc = target.resolve("etc");
        set(etc, "org.opentwag.radius.cfg", "authPort", String.valueOf(AUTH_PORT));
        set(etc, "org.opentwag.radius.cfg", "acctPort", String.valueOf(ACCT_PORT));
        set(etc, "org.opentwag.radius.cfg", "bindAddress", "127.0.0.1");
        set(etc, "org.opentwag.radius.client-default.cfg", "secret", SECRET);
        set(etc, "org.opentwag.radius.client-default.cfg", "subnets", "127.0.0.1/32");
        set(etc, "org.opentwag.metrics.cfg", "port", "29668");
        set(etc, "org.opentwag.diameter.cfg", "listenPort", "23968");
        set(etc, "org.opentwag.hsssim.cfg", "listenPort", "23969");
        set(etc, "org.opentwag.diameter.peer-hss.cfg", "port", "23969");
        set(etc, "org.apache.karaf.shell.cfg", "sshPort", "28201");
        set(etc, "org.apache.karaf.management.cfg", "rmiRegistryPort", "21199");
        set(etc, "org.apache.karaf.management.cfg", "rmiServerPort", "24544");
        for (String optional : List.of("org.opentwag.ocssim.cfg", "org.opentwag.diameter.peer-ocs.cfg")) {
            if (Files.exists(etc.resolve(optional))) {
                set(etc, optional, optional.contains("peer") ? "port" : "listenPort", "23970");
            }
        }
        if (Files.exists(etc.resolve("org.ops4j.pax.web.cfg"))) {
            set(etc, "org.ops4j.pax.web.cfg", "org.osgi.service.http.port.secure", "28443");
            set(etc, "org.ops4j.pax.web.cfg", "org.osgi.service.http.port", "28181");
        }
        return target;
    }

    private static void set(Path etc, String file, String key, String value) throws IOException {
        Path f = etc.resolve(file);
        List<String> lines = new ArrayList<>(Files.exists(f) ? Files.readAllLines(f) : List.of());
        boolean replaced = false;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches("^\\s*" + java.util.regex.Pattern.quote(key) + "\\s*=.*")) {
                lines.set(i, key + " = " + value);
                replaced = true;
            }
        }
        if (!replaced) {
            lines.add(key + " = " + value);
        }
        Files.write(f, lines);
    }

    @After
    public void killLeftovers() {
        if (karaf != null) {
            karaf.descendants().forEach(ProcessHandle::destroyForcibly);
            karaf.destroyForcibly();
        }
    }

    private static byte[] start(int id, String session) {
        return RadiusRequestEncoder.encode(RadiusCode.ACCOUNTING_REQUEST, id, List.of(
                RadiusAttribute.ofInt(RadiusDictionary.ACCT_STATUS_TYPE, RadiusDictionary.ACCT_STATUS_START),
                RadiusAttribute.ofString(RadiusDictionary.ACCT_SESSION_ID, session),
                RadiusAttribute.ofString(RadiusDictionary.USER_NAME, "0001010000000001@wlan.mnc001.mcc001.3gppnetwork.org"),
                RadiusAttribute.ofString(RadiusDictionary.CALLED_STATION_ID, "64-D9-89-1D-A4-20:ONS")),
                SECRET.getBytes(StandardCharsets.US_ASCII), false);
    }

    @Test
    public void everyAcknowledgedRecordSurvivesKillMinus9() throws Exception {
        Path home = prepareDistribution();
        Path log = home.resolve("console.log");
        karaf = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server").directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Path karafLog = home.resolve("data/log/karaf.log");
        long deadline = System.currentTimeMillis() + 90_000;
        while (!(Files.exists(karafLog) && Files.readString(karafLog).contains("Accounting store ready")
                && Files.readString(karafLog).contains("RADIUS server listening on port " + ACCT_PORT))) {
            assertTrue("distribution did not start:\n" + (Files.exists(log) ? Files.readString(log) : ""),
                    System.currentTimeMillis() < deadline && karaf.isAlive());
            Thread.sleep(200);
        }

        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Set<String> sent = ConcurrentHashMap.newKeySet();
        List<Thread> aps = new ArrayList<>();
        long floodEnd = System.currentTimeMillis() + FLOOD_MILLIS;
        for (int s = 0; s < SOCKETS; s++) {
            int ap = s;
            Thread t = new Thread(() -> flood(ap, floodEnd, sent, acknowledged), "ap-" + s);
            t.start();
            aps.add(t);
        }
        // Kill mid-flood, while requests are in flight, without any chance for the JVM to flush or shut down.
        Thread.sleep(FLOOD_MILLIS / 2 + 500);
        List<ProcessHandle> jvms = karaf.descendants().filter(p -> p.info().command().orElse("").endsWith("java"))
                .toList();
        assertEquals("one Karaf JVM", 1, jvms.size());
        long ackedAtKill = acknowledged.size();
        new ProcessBuilder("kill", "-9", String.valueOf(jvms.get(0).pid())).start().waitFor(5, TimeUnit.SECONDS);
        for (Thread t : aps) {
            t.join(FLOOD_MILLIS + 10_000);
        }
        karaf.waitFor(10, TimeUnit.SECONDS);
        assertTrue("the flood had been acknowledged before the kill: " + ackedAtKill, ackedAtKill > 100);

        Set<String> stored = new HashSet<>();
        String url = "jdbc:h2:file:" + home.resolve("data/opentwag/accounting").toAbsolutePath();
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT acct_session_id FROM accounting_record")) {
            while (rs.next()) {
                stored.add(rs.getString(1));
            }
        }
        Set<String> lost = new HashSet<>(acknowledged);
        lost.removeAll(stored);
        System.out.printf("kill -9 during accounting flood: sent %d, acknowledged %d (%d/s over the flood), "
                        + "stored %d, acknowledged but lost %d%n", sent.size(), acknowledged.size(),
                acknowledged.size() * 1000 / (FLOOD_MILLIS / 2 + 500), stored.size(), lost.size());
        assertTrue("acknowledged records lost: " + lost.stream().limit(10).toList(), lost.isEmpty());
    }

    /** One AP: keeps {@value #WINDOW} requests in flight on its socket until the flood ends or the server dies. */
    private static void flood(int ap, long floodEnd, Set<String> sent, Set<String> acknowledged) {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.setSoTimeout(1_000);
            String[] inFlight = new String[256];
            InetAddress server = InetAddress.getByName("127.0.0.1");
            int next = 0;
            int outstanding = 0;
            long counter = 0;
            DatagramPacket answer = new DatagramPacket(new byte[4096], 4096);
            while (System.currentTimeMillis() < floodEnd) {
                while (outstanding < WINDOW) {
                    while (inFlight[next] != null) {
                        next = (next + 1) & 0xff;
                    }
                    String session = "K" + ap + "-" + (counter++);
                    byte[] request = start(next, session);
                    inFlight[next] = session;
                    sent.add(session);
                    socket.send(new DatagramPacket(request, request.length, server, ACCT_PORT));
                    outstanding++;
                }
                try {
                    socket.receive(answer);
                } catch (SocketTimeoutException serverGone) {
                    return;
                }
                RadiusPacket response = RadiusPacket.decode(java.util.Arrays.copyOf(answer.getData(),
                        answer.getLength()));
                String session = inFlight[response.identifier()];
                if (response.code() == RadiusCode.ACCOUNTING_RESPONSE && session != null) {
                    acknowledged.add(session);
                    inFlight[response.identifier()] = null;
                    outstanding--;
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
