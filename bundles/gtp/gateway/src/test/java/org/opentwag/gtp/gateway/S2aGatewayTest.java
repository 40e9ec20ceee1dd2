package org.opentwag.gtp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentwag.api.eap.EapAuthentication;
import org.opentwag.api.eap.NasContext;
import org.opentwag.api.session.AccessPath.PathDecision;
import org.opentwag.api.state.StateStore;
import org.opentwag.api.vectors.Non3gppUserData;
import org.opentwag.gtp.codec.Cause;
import org.opentwag.gtp.codec.GtpV2Message;
import org.opentwag.gtp.codec.IeType;
import org.opentwag.gtp.codec.Ies;
import org.opentwag.gtp.codec.InformationElement;
import org.opentwag.gtp.codec.MessageType;

/**
 * The gateway's GTP-C behaviour against a scripted UDP peer (this test's socket, playing the PGW's wire side only):
 * retransmission under the same sequence number, the policy for an unanswered Create Session, a PGW-initiated Delete
 * Bearer Request ending the session at the AP, and a changed Recovery ending the PGW's sessions. The interop proof
 * against a PGW we did not write is itests' S2aHomeRoutingIT (open5gs).
 */
class S2aGatewayTest {

    private static final String IMSI = "001010000000001";
    private static final NasContext AP = new NasContext("10.0.0.1", "ap", "02-00-00-00-00-01:OpenTWAG",
            "02-00-00-00-00-99");
    private final List<String> disconnected = new CopyOnWriteArrayList<>();
    private DatagramSocket pgw;
    private S2aGateway gateway;

    private S2aGateway start(S2aSettings.WhenPgwDown policy, int n3) throws Exception {
        return start(policy, n3, ApnSelection.every("internet"), null);
    }

    private S2aGateway start(S2aSettings.WhenPgwDown policy, int n3, ApnSelection apns, StateStore store)
            throws Exception {
        if (pgw == null) {
            pgw = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
            // generous: a loaded CI machine may take seconds to schedule the gateway's threads
            pgw.setSoTimeout(30_000);
        }
        gateway = new S2aGateway(new S2aSettings((InetSocketAddress) pgw.getLocalSocketAddress(),
                new InetSocketAddress("127.0.0.1", 0), "internet", "001", "01", List.of(), policy,
                Duration.ofMillis(200), n3, Duration.ZERO), 3, System::currentTimeMillis,
                (imsi, why) -> disconnected.add(imsi + " " + why), apns, store, Duration.ofHours(1));
        return gateway;
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (pgw != null) {
            pgw.close();
            pgw = null;
        }
    }

    private record Received(GtpV2Message message, InetSocketAddress from) {
    }

    private Received receive() throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
        pgw.receive(p);
        return new Received(GtpV2Message.decode(Arrays.copyOf(p.getData(), p.getLength())),
                (InetSocketAddress) p.getSocketAddress());
    }

    private void send(GtpV2Message m, InetSocketAddress to) throws Exception {
        byte[] b = m.encode();
        pgw.send(new DatagramPacket(b, b.length, to));
    }

    private static GtpV2Message accept(GtpV2Message csr, long pgwTeid, Integer recovery) throws Exception {
        long twanTeid = Ies.FTeid.from(csr.ie(IeType.F_TEID, 0).orElseThrow()).teid();
        var ies = new java.util.ArrayList<>(List.of(Cause.of(16).toIe(),
                new Ies.FTeid(Ies.IF_S2A_PGW_GTPC, pgwTeid, (java.net.Inet4Address) InetAddress.getByName("127.0.0.4"),
                        null).toIe(1),
                Ies.paaIpv4((java.net.Inet4Address) InetAddress.getByName("10.45.0.2")),
                InformationElement.grouped(IeType.BEARER_CONTEXT, 0, List.of(Ies.ebi(5, 0), Cause.of(16).toIe(),
                        new Ies.FTeid(Ies.IF_S2A_PGW_GTPU, 0x77, (java.net.Inet4Address) InetAddress.getByName(
                                "127.0.0.7"), null).toIe(5)))));
        if (recovery != null) {
            ies.add(Ies.recovery(recovery));
        }
        return GtpV2Message.withTeid(MessageType.CREATE_SESSION_RESPONSE, twanTeid, csr.sequence(), ies);
    }

    private static EapAuthentication auth() {
        return new EapAuthentication(IMSI, "0" + IMSI + "@wlan", "EAP-AKA", false, new byte[64], new byte[64],
                new byte[] {1});
    }

    @Test
    void anUnansweredRequestIsRetransmittedWithTheSameSequenceAndTheAnswerOpensTheConnection() throws Exception {
        start(S2aSettings.WhenPgwDown.REJECT, 2);
        var decision = gateway.open(auth(), AP).toCompletableFuture();
        Received first = receive();
        Received again = receive(); // T3 expired: the same request again
        assertThat(again.message()).isEqualTo(first.message());
        assertThat(first.message().type()).isEqualTo(MessageType.CREATE_SESSION_REQUEST);
        Ies.TwanIdentifier twan = Ies.TwanIdentifier.from(first.message().ie(IeType.TWAN_IDENTIFIER).orElseThrow());
        assertThat(twan.ssid()).isEqualTo("OpenTWAG");
        send(accept(first.message(), 0xabc, null), first.from());
        assertThat(decision.get()).isEqualTo(new PathDecision.HomeRouted("internet", "10.45.0.2", "127.0.0.1"));
        assertThat(gateway.connections()).hasSize(1);
        assertThat(gateway.metricValues().get("s2a_gtpc_retransmissions_count").longValue()).isGreaterThanOrEqualTo(1);
        // the wait for the PGW, from the first send: the answer left only after a retransmission, T3 (200 ms) later
        assertThat(gateway.metricValues().get("s2a_create_session_duration_seconds_count").longValue()).isEqualTo(1);
        assertThat(gateway.metricValues().get("s2a_create_session_duration_seconds_sum").doubleValue())
                .isGreaterThanOrEqualTo(0.2);
        assertThat(gateway.metricValues().get("s2a_create_session_duration_seconds_bucket{le=\"0.1\"}").longValue())
                .isZero();

        gateway.close(IMSI, "Stop");
        Received delete = receive();
        assertThat(delete.message().type()).isEqualTo(MessageType.DELETE_SESSION_REQUEST);
        assertThat(delete.message().teid()).isEqualTo(0xabc);
        assertThat(gateway.connections()).isEmpty();
    }

    @Test
    void theUserPlaneFindsTheBearerByCallingStationIdAndOurTeidUntilTheConnectionEnds() throws Exception {
        start(S2aSettings.WhenPgwDown.REJECT, 50); // 10 s before giving up: a slow test thread must not lose the race
        var decision = gateway.open(auth(), AP).toCompletableFuture();
        Received csr = receive();
        long ourUserTeid = Ies.FTeid.from(csr.message().ie(IeType.BEARER_CONTEXT).orElseThrow()
                .child(IeType.F_TEID, 6).orElseThrow()).teid();
        send(accept(csr.message(), 0xabc, null), csr.from());
        assertThat(decision.get()).isInstanceOf(PathDecision.HomeRouted.class);
        var bearer = gateway.bearers().byMac(0x020000000099L).orElseThrow(); // Calling-Station-Id 02-00-00-00-00-99
        assertThat(bearer.imsi()).isEqualTo(IMSI);
        assertThat(bearer.address().getHostAddress()).isEqualTo("10.45.0.2");
        assertThat(bearer.pgwTeid()).isEqualTo(0x77);
        assertThat(bearer.pgwUserPlane()).isEqualTo(new InetSocketAddress("127.0.0.7", 2152));
        assertThat(bearer.localTeid()).isEqualTo(ourUserTeid);
        assertThat(gateway.bearers().byLocalTeid(ourUserTeid)).contains(bearer);

        gateway.close(IMSI, "Stop");
        assertThat(gateway.bearers().byMac(0x020000000099L)).isEmpty();
        assertThat(gateway.bearers().byLocalTeid(ourUserTeid)).isEmpty();
    }

    @Test
    void aSilentPgwRefusesTheLoginOrFallsBackToLocalBreakoutAsConfigured() throws Exception {
        start(S2aSettings.WhenPgwDown.REJECT, 1);
        assertThat(gateway.open(auth(), AP).toCompletableFuture().get()).isInstanceOf(PathDecision.Refused.class);
        assertThat(gateway.metrics().get("s2a_pgw_down_policy_count{applied=\"reject\"}")).isEqualTo(1);
        stop();
        start(S2aSettings.WhenPgwDown.LOCAL_BREAKOUT, 1);
        assertThat(gateway.open(auth(), AP).toCompletableFuture().get())
                .isInstanceOf(PathDecision.LocalBreakout.class);
        assertThat(gateway.peers().get(0).state()).isEqualTo(org.opentwag.api.s2a.HomeRouting.PeerState.DOWN);
    }

    @Test
    void aDeleteBearerRequestFromThePgwEndsTheSessionAtTheApAndARepeatIsAnsweredOnce() throws Exception {
        start(S2aSettings.WhenPgwDown.REJECT, 2);
        var decision = gateway.open(auth(), AP).toCompletableFuture();
        Received csr = receive();
        send(accept(csr.message(), 0xabc, null), csr.from());
        decision.get();
        long twanTeid = Ies.FTeid.from(csr.message().ie(IeType.F_TEID, 0).orElseThrow()).teid();
        GtpV2Message dbr = GtpV2Message.withTeid(MessageType.DELETE_BEARER_REQUEST, twanTeid, 0x123,
                List.of(Ies.ebi(5, 0), Cause.of(8).toIe()));
        send(dbr, csr.from());
        GtpV2Message answer = receive().message();
        assertThat(answer.type()).isEqualTo(MessageType.DELETE_BEARER_RESPONSE);
        assertThat(answer.cause().orElseThrow().value()).isEqualTo(16);
        send(dbr, csr.from()); // a retransmission: the same answer, the session is not looked up again
        assertThat(receive().message()).isEqualTo(answer);
        assertThat(disconnected).containsExactly(IMSI + " PGW Delete-Bearer-Request");
        assertThat(gateway.connections()).isEmpty();
    }

    @Test
    void aChangedRecoveryEndsThePgwsSessions() throws Exception {
        start(S2aSettings.WhenPgwDown.REJECT, 2);
        var decision = gateway.open(auth(), AP).toCompletableFuture();
        Received csr = receive();
        send(accept(csr.message(), 0xabc, 4), csr.from());
        decision.get();
        var echo = gateway.echo().toCompletableFuture();
        Received req = receive();
        assertThat(req.message().type()).isEqualTo(MessageType.ECHO_REQUEST);
        send(GtpV2Message.withoutTeid(MessageType.ECHO_RESPONSE, req.message().sequence(), List.of(Ies.recovery(5))),
                req.from());
        echo.get();
        assertThat(disconnected).hasSize(1);
        assertThat(gateway.connections()).isEmpty();
        assertThat(gateway.peers().get(0).restarts()).isEqualTo(1);
    }

    @Test
    void theCreateSessionAsksForTheHssDefaultApnAndAnApnNotHomeRoutedStaysLocalBreakout() throws Exception {
        start(S2aSettings.WhenPgwDown.REJECT, 2, new ApnSelection("internet", List.of("wlan.operator")), null);
        Non3gppUserData ims = userData(1, "ims");
        // The HSS's default APN "ims" is not home-routed here: local breakout at once, no GTP-C sent.
        assertThat(gateway.open(auth(), AP, ims).toCompletableFuture().getNow(null))
                .isEqualTo(new PathDecision.LocalBreakout("APN ims not home-routed"));
        // Without user data the configured default "internet" is not listed either.
        assertThat(gateway.open(auth(), AP, null).toCompletableFuture().getNow(null))
                .isInstanceOf(PathDecision.LocalBreakout.class);

        var decision = gateway.open(auth(), AP, userData(2, "wlan.operator")).toCompletableFuture();
        Received csr = receive(); // the first datagram the PGW sees: the two logins above sent none
        assertThat(csr.message().type()).isEqualTo(MessageType.CREATE_SESSION_REQUEST);
        assertThat(Ies.apn(csr.message().ie(IeType.APN).orElseThrow())).isEqualTo("wlan.operator");
        send(accept(csr.message(), 0xabc, null), csr.from());
        assertThat(decision.get()).isEqualTo(new PathDecision.HomeRouted("wlan.operator", "10.45.0.2", "127.0.0.1"));
        assertThat(gateway.connection(IMSI).orElseThrow().apn()).isEqualTo("wlan.operator");
    }

    @Test
    void anIpv6OnlyApnIsNotOpenedOverS2a() throws Exception {
        start(S2aSettings.WhenPgwDown.REJECT, 2);
        Non3gppUserData v6 = new Non3gppUserData(null, null, null, null, 1L, List.of(
                new Non3gppUserData.ApnConfiguration(1, "v6only", Non3gppUserData.PdnType.IPV6, null)));
        assertThat(gateway.open(auth(), AP, v6).toCompletableFuture().getNow(null))
                .isInstanceOf(PathDecision.LocalBreakout.class);
    }

    @Test
    void aRestartedGatewayRestoresItsConnectionsFromTheStoreAndStillDeletesThemAtTheStop() throws Exception {
        StateStore store = new SerializingStore();
        start(S2aSettings.WhenPgwDown.REJECT, 2, ApnSelection.every("internet"), store);
        var decision = gateway.open(auth(), AP, userData(1, "wlan.operator")).toCompletableFuture();
        Received csr = receive();
        send(accept(csr.message(), 0xabc, null), csr.from());
        decision.get();
        var before = gateway.connection(IMSI).orElseThrow();

        gateway.close(); // the bundle stops: its memory is gone, its GTP-C socket closed
        start(S2aSettings.WhenPgwDown.REJECT, 2, ApnSelection.every("internet"), store);
        var after = gateway.connection(IMSI).orElseThrow();
        assertThat(after).isEqualTo(before);

        gateway.close(IMSI, "Accounting-Stop");
        Received delete = receive();
        assertThat(delete.message().type()).isEqualTo(MessageType.DELETE_SESSION_REQUEST);
        assertThat(delete.message().teid()).isEqualTo(0xabc);
        assertThat(gateway.connections()).isEmpty();
        assertThat(store.size(PdnConnectionStore.MAP)).isZero();
    }

    private static Non3gppUserData userData(long contextId, String apn) {
        return new Non3gppUserData(null, null, null, null, contextId, List.of(
                new Non3gppUserData.ApnConfiguration(contextId, apn, Non3gppUserData.PdnType.IPV4V6, null)));
    }

    /** A state store that keeps values as serialised bytes, as the clustered one does: proves they serialise. */
    static final class SerializingStore implements StateStore {
        private final java.util.Map<String, byte[]> entries = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public void put(String map, String key, java.io.Serializable value, Duration ttl) {
            try (var bytes = new java.io.ByteArrayOutputStream(); var out = new java.io.ObjectOutputStream(bytes)) {
                out.writeObject(value);
                out.flush();
                entries.put(map + "/" + key, bytes.toByteArray());
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public <V extends java.io.Serializable> V get(String map, String key, Class<V> type) {
            byte[] b = entries.get(map + "/" + key);
            return b == null ? null : read(b, type);
        }

        @Override
        public <V extends java.io.Serializable> V remove(String map, String key, Class<V> type) {
            byte[] b = entries.remove(map + "/" + key);
            return b == null ? null : read(b, type);
        }

        @Override
        public int size(String map) {
            return (int) entries.keySet().stream().filter(k -> k.startsWith(map + "/")).count();
        }

        @Override
        public <V extends java.io.Serializable> java.util.Map<String, V> snapshot(String map, Class<V> type) {
            java.util.Map<String, V> out = new java.util.HashMap<>();
            entries.forEach((k, b) -> {
                if (k.startsWith(map + "/")) {
                    out.put(k.substring(map.length() + 1), read(b, type));
                }
            });
            return out;
        }

        private static <V> V read(byte[] b, Class<V> type) {
            try (var in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(b))) {
                return type.cast(in.readObject());
            } catch (java.io.IOException | ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
