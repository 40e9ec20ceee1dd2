package org.opentwag.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.After;
import org.junit.Test;
import org.opentwag.api.vectors.AuthScheme;
import org.opentwag.api.vectors.AuthVector;
import org.opentwag.api.vectors.VectorRequest;
import org.opentwag.diameter.codec.Avp;
import org.opentwag.diameter.codec.BaseProtocol;
import org.opentwag.diameter.codec.BaseProtocol.AuthSessionState;
import org.opentwag.diameter.codec.DiameterMessage;
import org.opentwag.diameter.codec.OverloadControl;
import org.opentwag.diameter.codec.ResultCodes;
import org.opentwag.diameter.codec.SwxApplication;
import org.opentwag.diameter.stack.ApplicationId;
import org.opentwag.diameter.stack.DiameterNode;
import org.opentwag.diameter.stack.NodeConfig;
import org.opentwag.diameter.stack.OverloadAbatedKey;
import org.opentwag.diameter.stack.PeerConfig;
import org.opentwag.diameter.stack.PeerInfo;
import org.opentwag.diameter.stack.TlsSettings;
import org.opentwag.diameter.stack.Transport;
import org.opentwag.hsssim.HssBehaviour;
import org.opentwag.hsssim.HssSimulator;
import org.opentwag.swx.SwxSettings;
import org.opentwag.swx.SwxVectorSource;
import org.opentwag.vectors.local.subscribers.SubscriberDatabase;

/**
 * SWx through freeDiameter 1.2.1 (Debian) as DRA, the guide's "Option 2: via DRA": our SWx client (the production
 * {@link SwxVectorSource} on our Diameter stack) on one side, the HSS simulator on its own node on the other, and
 * between them one or two freeDiameter relays (each in a network namespace of its own, see {@link FreeDiameter}) that
 * route by Destination-Realm (rt_default rules) and Destination-Host, with the 3GPP dictionary loaded. Neither of our
 * nodes is a peer of the other: every request and answer crosses a relay, which adds its Route-Record.
 */
public class SwxThroughRelayIT {

    private static final String TWAG = "twag.localdomain";
    private static final String TWAG_REALM = "aaa.mnc001.mcc001.3gppnetwork.org";
    private static final String HSS = "hss.epc.mnc001.mcc001.3gppnetwork.org";
    private static final String HSS_REALM = "epc.mnc001.mcc001.3gppnetwork.org";
    private static final String DRA_REALM = "dra.test";
    private static final List<String> IMSIS = List.of("001010000000001", "001010000000002", "001010000000003",
            "001010000000004", "001010000000005", "001010000000006", "001010000000007", "001010000000008");

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private Path dir;
    private TestCa ca;
    private DiameterNode twag;
    private DiameterNode hss;
    private HssSimulator hssSimulator;
    private SwxVectorSource swx;
    private final List<String> terminated = new CopyOnWriteArrayList<>();
    /** Subscribers whose profile the HSS pushed (PPR), as swx-client handed them to their owner. */
    private final List<String> profiles = new CopyOnWriteArrayList<>();
    /** A request as the HSS received it, and the relay it came from. */
    private record Received(DiameterMessage request, String relay) {
    }

    /** Requests as the HSS received them (to see Destination-Host, Route-Record, the relay). */
    private final List<Received> atHss = new CopyOnWriteArrayList<>();
    /** Requests as our node received them (RTR, PPR). */
    private final List<Received> atTwag = new CopyOnWriteArrayList<>();

    @After
    public void cleanUp() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception e) {
                System.err.println("clean-up: " + e);
            }
        }
    }

    private <T extends AutoCloseable> T track(T c) {
        closeables.add(c);
        return c;
    }

    private String draName(int n) {
        return "dra" + n + "." + DRA_REALM;
    }

    /** Relay n in namespace otwag-dra{n}, veth dra{n}-h/-n, 10.231.2{2+n}.0/30; both our nodes connect to it. */
    private FreeDiameter relay(int n, boolean tls) throws Exception {
        FreeDiameter fd = track(new FreeDiameter("otwag-dra" + n, "dra" + n, "10.231." + (22 + n)));
        if (ca == null) {
            dir = Files.createTempDirectory("swx-relay");
            Path made = dir;
            track(() -> {
                try (var files = Files.walk(made)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            });
            ca = new TestCa(dir);
            ca.certificate("twag", TWAG, true).certificate("hss", HSS, true);
        }
        ca.certificate("dra" + n, draName(n), true);
        return fd.identity(draName(n), DRA_REALM)
                .credentials(ca.file("dra" + n + ".crt"), ca.file("dra" + n + ".key"), ca.ca())
                .threeGppDictionary()
                // Routing by realm as an operator's DRA is set up; a request naming a connected host goes to it.
                .route("dr=\"" + HSS_REALM + "\" : rlm=\"" + HSS_REALM + "\" += REALM")
                .route("dr=\"" + TWAG_REALM + "\" : rlm=\"" + TWAG_REALM + "\" += REALM")
                .peer(FreeDiameter.Peer.connectingToIt(TWAG, fd.hostAddress(), tls))
                .peer(FreeDiameter.Peer.connectingToIt(HSS, fd.hostAddress(), tls))
                .maxSeconds(150)
                .start();
    }

    private NodeConfig.Builder node(String host, String realm, String keyStoreName, boolean tls) throws Exception {
        NodeConfig.Builder b = NodeConfig.builder(host, realm).applications(ApplicationId.SWX)
                .watchdogInterval(Duration.ofSeconds(2))
                .reconnectDelay(Duration.ofMillis(500), Duration.ofSeconds(2))
                .requestTimeout(Duration.ofSeconds(3));
        if (tls) {
            b.tls(new TlsSettings(ca.keyStore(keyStoreName), TestCa.PASSWORD, ca.trustStore(), TestCa.PASSWORD));
        }
        return b;
    }

    /** Our two nodes, each connected to every relay given (as default route: neither relay serves their realms). */
    private void start(boolean tls, FreeDiameter... relays) throws Exception {
        twag = track(DiameterNode.create(node(TWAG, TWAG_REALM, "twag", tls).build()));
        hss = track(DiameterNode.create(node(HSS, HSS_REALM, "hss", tls).build()));
        int n = 1;
        for (FreeDiameter relay : relays) {
            int port = tls ? FreeDiameter.TLS_PORT : FreeDiameter.PORT;
            Transport transport = tls ? Transport.TLS : Transport.TCP;
            twag.addPeer(PeerConfig.connectTo(draName(n), DRA_REALM, relay.address(), port).withTransport(transport)
                    .withDefaultRoute(true));
            hss.addPeer(PeerConfig.connectTo(draName(n), DRA_REALM, relay.address(), port).withTransport(transport)
                    .withDefaultRoute(true));
            n++;
        }
        hss.addMessageListener((direction, m, peer) -> {
            if ("in".equals(direction) && m.isRequest() && m.applicationId() == SwxApplication.APPLICATION_ID) {
                atHss.add(new Received(m, peer));
            }
        });
        twag.addMessageListener((direction, m, peer) -> {
            if ("in".equals(direction) && m.isRequest() && m.applicationId() == SwxApplication.APPLICATION_ID) {
                atTwag.add(new Received(m, peer));
            }
        });
        Path subscribers = dir.resolve("hss-subscribers.csv");
        try (var in = getClass().getResourceAsStream("/hss-subscribers.csv")) {
            Files.copy(in, subscribers);
        }
        hssSimulator = track(new HssSimulator(hss, new SubscriberDatabase(subscribers, dir.resolve("sqn-hss.properties")),
                HssBehaviour.defaults(TWAG)));
        swx = track(new SwxVectorSource(twag, SwxSettings.defaults(HSS_REALM).withRequestTimeout(Duration.ofSeconds(3)),
                () -> List.of((imsi, reason) -> terminated.add(imsi + " " + reason)),
                () -> List.of((imsi, data) -> profiles.add(imsi)), Clock.systemUTC()));
        for (int i = 1; i <= relays.length; i++) {
            String relay = draName(i);
            FreeDiameter fd = relays[i - 1];
            assertTrue("TWAG never OPEN with " + relay + ":\n" + fd.log(), await(Duration.ofSeconds(40), () -> open(twag, relay)));
            assertTrue("HSS never OPEN with " + relay + ":\n" + fd.log(), await(Duration.ofSeconds(40), () -> open(hss, relay)));
            assertEquals(tls ? Transport.TLS : Transport.TCP, twag.peer(relay).orElseThrow().transport());
            assertTrue(String.valueOf(twag.peer(relay).orElseThrow().productName()),
                    String.valueOf(twag.peer(relay).orElseThrow().productName()).contains("freeDiameter"));
        }
        assertTrue("nothing refused: " + twag.tlsRefusals() + hss.tlsRefusals(),
                twag.tlsRefusals().isEmpty() && hss.tlsRefusals().isEmpty());
    }

    private static boolean open(DiameterNode node, String peer) {
        return node.peer(peer).map(PeerInfo::isOpen).orElse(false);
    }

    private static boolean await(Duration max, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(100);
        }
        return condition.getAsBoolean();
    }

    /** A login's SWx part: a vector (MAR/MAA), then the registration (SAR/SAA). */
    private AuthVector login(String imsi) throws Exception {
        AuthVector v = swx.fetch(new VectorRequest(imsi, AuthScheme.EAP_AKA, null)).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        swx.serverAssignment(imsi, SwxApplication.ServerAssignmentType.REGISTRATION).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        return v;
    }

    private List<DiameterMessage> marsAtHss(String imsi) {
        return atHss.stream().map(Received::request).filter(m -> m.commandCode() == SwxApplication.MULTIMEDIA_AUTH
                && m.find(BaseProtocol.USER_NAME).map(Avp::utf8).orElse("").equals(imsi)).toList();
    }

    private static List<String> routeRecords(DiameterMessage m) {
        return m.findAll(BaseProtocol.ROUTE_RECORD).stream().map(Avp::utf8).toList();
    }

    private static long count(DiameterNode node, String command, String direction) {
        return node.messageCounts().entrySet().stream()
                .filter(e -> e.getKey().command().equals(command) && e.getKey().direction().equals(direction))
                .mapToLong(Map.Entry::getValue).sum();
    }

    private DiameterMessage pushProfile(String imsi) {
        return DiameterMessage.request(SwxApplication.APPLICATION_ID, SwxApplication.PUSH_PROFILE)
                .add(Avp.utf8(BaseProtocol.SESSION_ID, hss.newSessionId()))
                .add(Avp.grouped(BaseProtocol.VENDOR_SPECIFIC_APPLICATION_ID,
                        Avp.unsigned32(BaseProtocol.VENDOR_ID, SwxApplication.VENDOR_ID),
                        Avp.unsigned32(BaseProtocol.AUTH_APPLICATION_ID, SwxApplication.APPLICATION_ID)))
                .add(Avp.enumerated(BaseProtocol.AUTH_SESSION_STATE, AuthSessionState.NO_STATE_MAINTAINED))
                .add(Avp.identity(BaseProtocol.DESTINATION_HOST, TWAG))
                .add(Avp.identity(BaseProtocol.DESTINATION_REALM, TWAG_REALM))
                .add(Avp.utf8(BaseProtocol.USER_NAME, imsi))
                .add(Avp.grouped(SwxApplication.NON_THREE_GPP_USER_DATA,
                        Avp.enumerated(SwxApplication.NON_THREE_GPP_IP_ACCESS,
                                SwxApplication.Non3gppIpAccess.NON_3GPP_SUBSCRIPTION_ALLOWED)))
                .build();
    }

    /**
     * Over TLS on both hops, through two relays: realm routing of the first MAR, the learnt Destination-Host on the
     * next ones, Route-Record, answers back hop by hop; the HSS's RTR and PPR reach us through a relay and are
     * answered; then one relay is killed in the middle of a bounded load and logins go on through the other, each
     * login allowed the three tries of an access point.
     */
    @Test
    public void swxOverTlsThroughTwoRelaysWithOneKilledMidLoad() throws Exception {
        FreeDiameter dra1 = relay(1, true);
        FreeDiameter dra2 = relay(2, true);
        start(true, dra1, dra2);

        String imsi = IMSIS.get(0);
        login(imsi);
        List<DiameterMessage> mars = marsAtHss(imsi);
        assertEquals(1, mars.size());
        assertEquals("first MAR: Destination-Realm only", Optional.empty(), mars.get(0).destinationHost());
        assertEquals(Optional.of(HSS_REALM), mars.get(0).destinationRealm());
        // RFC 6733 6.1.9: the relay records the peer it received the request from
        assertEquals("the relay's Route-Record", List.of(TWAG), routeRecords(mars.get(0)));
        String via = atHss.get(0).relay();
        assertTrue(via, via.equals(draName(1)) || via.equals(draName(2)));
        assertTrue("the MAR says DOIC", mars.get(0).has(OverloadControl.OC_SUPPORTED_FEATURES));
        login(imsi);
        mars = marsAtHss(imsi);
        assertEquals(2, mars.size());
        assertEquals("later MAR names the HSS that answered", Optional.of(HSS), mars.get(1).destinationHost());
        assertEquals(Optional.of(TWAG), hssSimulator.registeredAt(imsi));

        // HSS-initiated requests come to us through a relay: the peer is the relay, Origin-Host the HSS.
        long rtrIn = count(twag, "RTR", "in");
        long rta = hssSimulator.sendRegistrationTermination(imsi).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals("RTA through the relay", ResultCodes.DIAMETER_SUCCESS, rta);
        assertEquals(rtrIn + 1, count(twag, "RTR", "in"));
        assertTrue(terminated.toString(), terminated.stream().anyMatch(t -> t.startsWith(imsi + " ")));
        Received rtr = atTwag.get(0);
        assertEquals(SwxApplication.REGISTRATION_TERMINATION, rtr.request().commandCode());
        assertEquals("from the HSS", Optional.of(HSS), rtr.request().originHost());
        assertTrue("through a relay: " + rtr.relay(), rtr.relay().equals(draName(1)) || rtr.relay().equals(draName(2)));
        assertEquals(List.of(HSS), routeRecords(rtr.request()));
        DiameterMessage ppa = hss.send(pushProfile(IMSIS.get(1))).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals("PPA from our node, not from a relay: " + ppa.summary(), Optional.of(TWAG), ppa.originHost());
        assertFalse("not a relay's protocol error: " + ppa.summary(),
                ppa.resultCode().orElse(0) >= 3000 && ppa.resultCode().orElse(0) < 4000);
        assertEquals(1, count(twag, "PPR", "in"));
        assertEquals("the PPR reached the subscriber's owner here", List.of(IMSIS.get(1)), List.copyOf(profiles));
        assertEquals(java.util.OptionalLong.of(2001), ppa.resultCode());

        // Bounded load: 4 workers, 160 logins in all, relay 1 killed (SIGKILL, no DPR) after the 60th.
        int workers = 4;
        int logins = 160;
        AtomicInteger started = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicInteger failedTries = new AtomicInteger();
        AtomicInteger failedLogins = new AtomicInteger();
        Set<String> failures = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        List<Future<?>> futures = new ArrayList<>();
        long loadStart = System.nanoTime();
        for (int w = 0; w < workers; w++) {
            futures.add(pool.submit(() -> {
                int i;
                while ((i = started.getAndIncrement()) < logins) {
                    String who = IMSIS.get(i % IMSIS.size());
                    boolean ok = false;
                    for (int attempt = 0; attempt < 3 && !ok; attempt++) {
                        try {
                            login(who);
                            ok = true;
                        } catch (Exception e) {
                            failedTries.incrementAndGet();
                            failures.add(String.valueOf(e.getCause() != null ? e.getCause().getMessage() : e));
                        }
                    }
                    if (!ok) {
                        failedLogins.incrementAndGet();
                    }
                    done.incrementAndGet();
                }
                return null;
            }));
        }
        assertTrue("60 logins within 60 s", await(Duration.ofSeconds(60), () -> done.get() >= 60));
        int atKill = done.get();
        dra1.kill();
        assertFalse(dra1.isRunning());
        for (Future<?> f : futures) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        long loadMillis = (System.nanoTime() - loadStart) / 1_000_000;
        System.out.printf("SwxThroughRelayIT: %d logins (MAR+SAR) in %d ms through 2 TLS relays, relay 1 killed after %d;"
                + " failed tries %d, failed logins %d %s%n", logins, loadMillis, atKill, failedTries.get(),
                failedLogins.get(), failures);
        assertEquals("every login succeeded within an AP's 3 tries: " + failures, 0, failedLogins.get());
        // Requests in flight on the dead relay move to the other with the 'T' flag; a try fails only when its
        // request was not sent yet when the relay's connection died, at most one per worker.
        assertTrue("failed tries bounded: " + failedTries.get() + " " + failures, failedTries.get() <= workers);
        assertFalse("relay 1 is down at our node", open(twag, draName(1)));
        assertTrue(open(twag, draName(2)));
        assertTrue("relay 1 carried traffic before its end", atHss.stream().anyMatch(r -> r.relay().equals(draName(1))));
        assertTrue("every request relayed, Route-Record our node",
                atHss.stream().allMatch(r -> routeRecords(r.request()).equals(List.of(TWAG))));
        int last = atHss.size();
        login(IMSIS.get(2));
        assertTrue(atHss.subList(last, atHss.size()).stream().allMatch(r -> r.relay().equals(draName(2))));
    }

    /**
     * Over plain TCP through one relay, captured on the relay's link and decoded by tshark with 0 malformed: the HSS
     * simulator sends a DOIC overload report asking for 50% less, and half of the following MARs are dropped here
     * (counted) while the other half reach the HSS through the relay; a report of 0% ends it.
     */
    @Test
    public void hssOverloadReportThroughTheRelayHalvesTheMarsSent() throws Exception {
        FreeDiameter dra1 = relay(1, false);
        try (ExternalTool.Capture capture = new ExternalTool.Capture(dra1.hostInterface(), "tcp port 3868", List.of(), 90)) {
            start(false, dra1);
            String imsi = IMSIS.get(3);
            login(imsi); // learns the HSS's name: from now on its MARs carry Destination-Host
            hssSimulator.reportOverload(50, Duration.ofSeconds(60));
            login(imsi); // this MAA brings the report
            int marsBefore = marsAtHss(imsi).size();
            int tries = 40;
            int overloaded = 0;
            for (int i = 0; i < tries; i++) {
                try {
                    swx.fetch(new VectorRequest(imsi, AuthScheme.EAP_AKA, null)).toCompletableFuture().get(10, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    assertTrue(String.valueOf(e.getCause()), String.valueOf(e.getCause().getMessage()).contains("overloaded"));
                    overloaded++;
                }
            }
            int sent = marsAtHss(imsi).size() - marsBefore;
            System.out.printf("SwxThroughRelayIT: OLR 50%%: %d of %d MARs sent, %d dropped here, abated %s%n", sent, tries,
                    overloaded, twag.overloadAbated());
            assertEquals("half the MARs sent", tries / 2, sent);
            assertEquals(tries / 2, overloaded);
            assertEquals(Long.valueOf(tries / 2), twag.overloadAbated().get(new OverloadAbatedKey(HSS, "swx")));

            hssSimulator.reportOverload(0, Duration.ZERO);
            // the next answer that gets through carries the end of the report
            for (int i = 0; i < 2; i++) {
                try {
                    swx.fetch(new VectorRequest(imsi, AuthScheme.EAP_AKA, null)).toCompletableFuture().get(10, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    // the last dropped one
                }
            }
            int afterEnd = marsAtHss(imsi).size();
            for (int i = 0; i < 10; i++) {
                swx.fetch(new VectorRequest(imsi, AuthScheme.EAP_AKA, null)).toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
            assertEquals("all sent again", afterEnd + 10, marsAtHss(imsi).size());

            List<String> checked = capture.stopAndCheck();
            assertEquals("tshark calls nothing malformed:\n" + checked.get(1), "",
                    checked.get(1).lines().filter(l -> !l.contains("Running as user")).reduce("", String::concat));
            List<String> olrs = capture.fields("diameter.cmd.code == 303 && diameter.flags.request == 0 && diameter.avp.code == 623",
                    "diameter.Origin-Host");
            assertTrue("tshark sees the OC-OLR in MAAs: " + olrs, olrs.size() >= 2);
            List<String> marsWithFeatures = capture.fields("diameter.cmd.code == 303 && diameter.flags.request == 1 && diameter.avp.code == 621",
                    "diameter.Session-Id");
            // each MAR crosses the link twice (to the relay, and from the relay to the HSS)
            assertTrue("tshark sees OC-Supported-Features in the MARs: " + marsWithFeatures.size(),
                    marsWithFeatures.size() >= 2 * (2 + tries / 2));
            List<String> routeRecords = capture.fields("diameter.cmd.code == 303 && diameter.flags.request == 1 && diameter.Route-Record",
                    "diameter.Route-Record");
            assertTrue("the relayed MARs carry the Route-Record of the peer they came from: " + routeRecords,
                    !routeRecords.isEmpty() && routeRecords.stream().allMatch(r -> r.contains(TWAG)));
        }
    }
}
