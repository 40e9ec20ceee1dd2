package org.opentwag.radius.server.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentwag.radius.codec.RadiusAttribute;
import org.opentwag.radius.codec.RadiusAuthenticators;
import org.opentwag.radius.codec.RadiusCode;
import org.opentwag.radius.codec.RadiusDictionary;
import org.opentwag.radius.codec.RadiusPacket;
import org.opentwag.radius.codec.RadiusRequestEncoder;
import org.opentwag.radius.codec.UserPassword;
import org.opentwag.radius.server.AccessRequestHandler;
import org.opentwag.radius.server.AccountingHandler;
import org.opentwag.radius.server.RadiusReply;
import org.opentwag.radius.server.RadiusRequest;
import org.opentwag.radius.server.RadiusServerStatistics.DropReason;

/**
 * The listeners on loopback ephemeral ports, driven by the real radclient (FreeRADIUS 3.2.1) and by raw Java sockets.
 * No OSGi: the implementation classes are instantiated directly.
 */
class RadiusServerLoopbackTest {
    private static final String SECRET = "loopback-shared-secret-1";
    private static final byte[] SECRET_BYTES = SECRET.getBytes(US_ASCII);
    private static final String ACCT_START = "Acct-Status-Type = Start\nAcct-Session-Id = \"s1\"\nUser-Name = \"0001010000000001@wlan\"\nNAS-IP-Address = 127.0.0.1\n";

    private final AccessPointGroups registry = new AccessPointGroups();
    private final RadiusCounters counters = new RadiusCounters();
    private final AtomicReference<AccessRequestHandler> accessHandler = new AtomicReference<>();
    private final AtomicReference<AccountingHandler> accountingHandler = new AtomicReference<>();
    private RadiusServer server;

    @BeforeEach
    void start() throws Exception {
        registry.put("loopback", new AccessPointGroup("loopback", List.of(Subnet.parse("127.0.0.1/32")), SECRET_BYTES, true, 3799));
        startServer(1000);
    }

    private void startServer(int maxPending) throws Exception {
        ServerSettings settings = new ServerSettings("127.0.0.1", false, 0, 0, Duration.ofSeconds(30), 1000, maxPending, 2,
                Duration.ofSeconds(5), 90);
        server = new RadiusServer(settings, registry, counters, accessHandler::get, accountingHandler::get);
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    // ------------------------------------------------------------------ radclient

    @Test
    void accountingResponseIsSentOnlyOnceTheRecordIsDurable() throws Exception {
        assumeTrue(Radclient.available(), "radclient not installed");
        CompletableFuture<Void> durable = new CompletableFuture<>();
        CountDownLatch called = new CountDownLatch(1);
        AtomicReference<RadiusRequest> seen = new AtomicReference<>();
        accountingHandler.set(request -> {
            seen.set(request);
            called.countDown();
            return durable;
        });
        CompletableFuture<Radclient.Result> radclient = Radclient.start(server.acctPort(), "acct", SECRET, ACCT_START, 4);
        assertThat(called.await(5, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(300);
        assertThat(radclient).as("no Accounting-Response before the record is stored").isNotDone();
        durable.complete(null);
        Radclient.Result result = radclient.get(15, TimeUnit.SECONDS);
        assertThat(result.answered("Accounting-Response")).as(result.output()).isTrue();
        assertThat(result.exitCode()).isZero();
        assertThat(seen.get().acctStatusType()).hasValue(RadiusDictionary.ACCT_STATUS_START);
        assertThat(seen.get().string(RadiusDictionary.ACCT_SESSION_ID)).contains("s1");
        assertThat(seen.get().nasContext().nasIp()).isEqualTo("127.0.0.1");
        assertThat(counters.accountingRequests("start")).isEqualTo(1);
        assertThat(counters.accountingResponses()).isEqualTo(1);
    }

    @Test
    void anAccountingRequestDuringTheHandlersUpdateWaitsForIt() throws Exception {
        assumeTrue(Radclient.available(), "radclient not installed");
        accountingHandler.set(request -> CompletableFuture.completedFuture(null));
        Radclient.Result first = Radclient.run(server.acctPort(), "acct", SECRET, ACCT_START, 1);
        assertThat(first.answered("Accounting-Response")).as(first.output()).isTrue();
        accountingHandler.set(null); // bundle:update of accounting: gone for a moment ...
        CompletableFuture<Radclient.Result> held = Radclient.start(server.acctPort(), "acct", SECRET,
                ACCT_START.replace("Start", "Stop"), 1);
        Thread.sleep(500);
        accountingHandler.set(request -> CompletableFuture.completedFuture(null)); // ... and back
        Radclient.Result result = held.get(15, TimeUnit.SECONDS);
        assertThat(result.answered("Accounting-Response")).as(result.output()).isTrue();
        assertThat(counters.dropped(DropReason.NO_ACCOUNTING_HANDLER)).isZero();
        assertThat(counters.accountingResponses()).isEqualTo(2);
    }

    @Test
    void failedOrMissingAccountingHandlerMeansNoAnswer() throws Exception {
        assumeTrue(Radclient.available(), "radclient not installed");
        Radclient.Result noHandler = Radclient.run(server.acctPort(), "acct", SECRET, ACCT_START, 1);
        assertThat(noHandler.answered("Accounting-Response")).as(noHandler.output()).isFalse();
        long deadline = System.currentTimeMillis() + RadiusDispatcher.ACCOUNTING_GAP_MILLIS + 3_000;
        while (counters.dropped(DropReason.NO_ACCOUNTING_HANDLER) == 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50); // dropped once the wait for a handler is over
        }
        assertThat(counters.dropped(DropReason.NO_ACCOUNTING_HANDLER)).isEqualTo(1);

        accountingHandler.set(request -> CompletableFuture.failedFuture(new IllegalStateException("database down")));
        Radclient.Result failed = Radclient.run(server.acctPort(), "acct", SECRET,
                ACCT_START.replace("Start", "Stop"), 1);
        assertThat(failed.answered("Accounting-Response")).as(failed.output()).isFalse();
        assertThat(counters.dropped(DropReason.HANDLER_FAILED)).isEqualTo(1);
        assertThat(counters.accountingRequests("stop")).isEqualTo(1);
        assertThat(counters.accountingResponses()).isZero();
    }

    @Test
    void wrongSecretGetsNoAnswerAndIsCounted() throws Exception {
        assumeTrue(Radclient.available(), "radclient not installed");
        AtomicInteger calls = new AtomicInteger();
        accountingHandler.set(request -> {
            calls.incrementAndGet();
            return CompletableFuture.completedFuture(null);
        });
        accessHandler.set(request -> {
            calls.incrementAndGet();
            return CompletableFuture.completedFuture(RadiusReply.accept(List.of()));
        });
        Radclient.Result acct = Radclient.run(server.acctPort(), "acct", "not-the-secret", ACCT_START, 1);
        assertThat(acct.answered("Accounting-Response")).isFalse();
        Radclient.Result auth = Radclient.run(server.authPort(), "auth", "not-the-secret",
                "User-Name = \"nemo\"\nUser-Password = \"arctangent\"\nMessage-Authenticator = 0x00\n", 1);
        assertThat(auth.answered("Access-")).as(auth.output()).isFalse();
        assertThat(counters.dropped(DropReason.BAD_AUTHENTICATOR)).isEqualTo(2);
        assertThat(calls).hasValue(0);
    }

    @Test
    void unknownClientIsDroppedAndClientGroupChangesApplyWithoutRestart() throws Exception {
        assumeTrue(Radclient.available(), "radclient not installed");
        registry.remove("loopback");
        registry.put("elsewhere", new AccessPointGroup("elsewhere", List.of(Subnet.parse("10.0.0.0/8")), SECRET_BYTES, true, 3799));
        Radclient.Result unknown = Radclient.run(server.authPort(), "status", SECRET, "Message-Authenticator = 0x00\n", 1);
        assertThat(unknown.answered("Access-Accept")).as(unknown.output()).isFalse();
        assertThat(counters.dropped(DropReason.UNKNOWN_CLIENT)).isEqualTo(1);

        registry.put("loopback", new AccessPointGroup("loopback", List.of(Subnet.parse("127.0.0.0/8")), SECRET_BYTES, true, 3799));
        Radclient.Result known = Radclient.run(server.authPort(), "status", SECRET, "Message-Authenticator = 0x00\n", 2);
        assertThat(known.answered("Access-Accept")).as(known.output()).isTrue();
    }

    @Test
    void statusServerIsAnsweredOnBothPorts() throws Exception {
        assumeTrue(Radclient.available(), "radclient not installed");
        Radclient.Result auth = Radclient.run(server.authPort(), "status", SECRET, "Message-Authenticator = 0x00\n", 2);
        assertThat(auth.answered("Access-Accept")).as(auth.output()).isTrue();
        Radclient.Result acct = Radclient.run(server.acctPort(), "status", SECRET, "Message-Authenticator = 0x00\n", 2);
        assertThat(acct.answered("Accounting-Response")).as(acct.output()).isTrue();
        assertThat(counters.statusServerRequests()).isEqualTo(2);
    }

    @Test
    void radclientAcceptsOurAccessAcceptAndDecryptsTheMppeKeys() throws Exception {
        assumeTrue(Radclient.available(), "radclient not installed");
        byte[] recvKey = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        byte[] sendKey = HexFormat.of().parseHex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeffe0e1e2e3e4e5e6e7e8e9eaebecedeeef");
        AtomicReference<byte[]> password = new AtomicReference<>();
        accessHandler.set(request -> {
            try {
                password.set(UserPassword.reveal(request.octets(RadiusDictionary.USER_PASSWORD).orElseThrow(),
                        request.packet().authenticator(), SECRET_BYTES));
            } catch (Exception e) {
                return CompletableFuture.failedFuture(e);
            }
            return CompletableFuture.completedFuture(RadiusReply.accept(List.of(
                    RadiusAttribute.ofInt(RadiusDictionary.SESSION_TIMEOUT, 3600),
                    RadiusAttribute.vendor(RadiusDictionary.VENDOR_MICROSOFT, RadiusDictionary.MS_MPPE_RECV_KEY, recvKey),
                    RadiusAttribute.vendor(RadiusDictionary.VENDOR_MICROSOFT, RadiusDictionary.MS_MPPE_SEND_KEY, sendKey))));
        });
        Radclient.Result result = Radclient.run(server.authPort(), "auth", SECRET,
                "User-Name = \"nemo\"\nUser-Password = \"arctangent\"\nMessage-Authenticator = 0x00\nProxy-State = 0x6162\n", 2);
        // radclient verifies the Response Authenticator and Message-Authenticator, and decrypts the RFC 2548 keys.
        assertThat(result.answered("Access-Accept")).as(result.output()).isTrue();
        assertThat(result.output()).contains("Session-Timeout = 3600")
                .contains("MS-MPPE-Recv-Key = 0x" + HexFormat.of().formatHex(recvKey))
                .contains("MS-MPPE-Send-Key = 0x" + HexFormat.of().formatHex(sendKey))
                .contains("Proxy-State = 0x6162");
        assertThat(result.exitCode()).isZero();
        assertThat(password.get()).isEqualTo("arctangent".getBytes(US_ASCII));
        assertThat(counters.accessRequests()).isEqualTo(1);
        assertThat(counters.accessAccepts()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ raw Java sockets

    private static byte[] eapAccessRequest(int identifier) {
        return RadiusRequestEncoder.encode(RadiusCode.ACCESS_REQUEST, identifier, List.of(
                RadiusAttribute.ofString(RadiusDictionary.USER_NAME, "0001010000000001@wlan.mnc001.mcc001.3gppnetwork.org"),
                RadiusAttribute.ofString(RadiusDictionary.CALLED_STATION_ID, "64-D9-89-1D-A4-20:ONS"),
                RadiusAttribute.of(RadiusDictionary.EAP_MESSAGE, eapIdentityResponse("0001010000000001@wlan"))),
                SECRET_BYTES, true);
    }

    /** EAP-Response/Identity (RFC 3748 section 5.1): Code 2, Identifier, Length, Type 1, identity. */
    private static byte[] eapIdentityResponse(String identity) {
        byte[] text = identity.getBytes(US_ASCII);
        byte[] eap = new byte[5 + text.length];
        eap[0] = 2;
        eap[1] = 0;
        eap[3] = (byte) eap.length;
        eap[4] = 1;
        System.arraycopy(text, 0, eap, 5, text.length);
        return eap;
    }

    private static byte[] exchange(DatagramSocket socket, int port, byte[] request) throws Exception {
        socket.send(new DatagramPacket(request, request.length, new InetSocketAddress("127.0.0.1", port)));
        return receive(socket);
    }

    private static byte[] receive(DatagramSocket socket) throws Exception {
        byte[] buffer = new byte[4096];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        socket.receive(packet);
        return java.util.Arrays.copyOf(buffer, packet.getLength());
    }

    private static DatagramSocket socket(String address) throws Exception {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), 0));
        socket.setSoTimeout(2000);
        return socket;
    }

    @Test
    void eapAccessRequestGetsChallengeWithMessageAuthenticatorFirstAndValidSignatures() throws Exception {
        byte[] eapChallenge = HexFormat.of().parseHex("0102000817050000"); // Request/AKA-Identity, no attributes
        accessHandler.set(request -> CompletableFuture.supplyAsync(() -> RadiusReply.withEap(RadiusCode.ACCESS_CHALLENGE,
                eapChallenge, List.of(RadiusAttribute.of(RadiusDictionary.STATE, new byte[] {7, 7})))));
        byte[] request = eapAccessRequest(17);
        try (DatagramSocket socket = socket("127.0.0.1")) {
            byte[] answer = exchange(socket, server.authPort(), request);
            RadiusPacket reply = RadiusPacket.decode(answer);
            byte[] requestAuthenticator = RadiusPacket.decode(request).authenticator();
            assertThat(reply.code()).isEqualTo(RadiusCode.ACCESS_CHALLENGE);
            assertThat(reply.identifier()).isEqualTo(17);
            assertThat(reply.attributes().get(0).type()).isEqualTo(RadiusDictionary.MESSAGE_AUTHENTICATOR);
            assertThat(RadiusAuthenticators.verifyResponseAuthenticator(answer, requestAuthenticator, SECRET_BYTES)).isTrue();
            assertThat(RadiusAuthenticators.verifyResponseMessageAuthenticator(answer, requestAuthenticator, SECRET_BYTES))
                    .isEqualTo(RadiusAuthenticators.Check.VALID);
            assertThat(reply.eapMessage().orElseThrow()).isEqualTo(eapChallenge);
            assertThat(reply.octets(RadiusDictionary.STATE).orElseThrow()).containsExactly(7, 7);
        }
        assertThat(counters.accessChallenges()).isEqualTo(1);
    }

    @Test
    void duplicateIsAnsweredFromCacheAndTheHandlerCalledOnce() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CompletableFuture<RadiusReply> slow = new CompletableFuture<>();
        accessHandler.set(request -> {
            calls.incrementAndGet();
            return slow;
        });
        byte[] request = eapAccessRequest(99);
        try (DatagramSocket socket = socket("127.0.0.1")) {
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", server.authPort());
            socket.send(new DatagramPacket(request, request.length, target));
            socket.send(new DatagramPacket(request, request.length, target)); // retransmission while in progress
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (counters.dropped(DropReason.DUPLICATE) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(counters.dropped(DropReason.DUPLICATE)).isEqualTo(1);
            slow.complete(RadiusReply.reject("no"));
            byte[] first = receive(socket);
            byte[] again = exchange(socket, server.authPort(), request); // after the answer: from cache
            assertThat(again).isEqualTo(first);
            socket.setSoTimeout(300);
            try {
                receive(socket);
                org.assertj.core.api.Assertions.fail("the in-progress retransmission must not be answered");
            } catch (SocketTimeoutException expected) {
                // only two answers: the first and the cached one
            }
        }
        assertThat(calls).hasValue(1);
        assertThat(counters.duplicatesAnswered()).isEqualTo(1);
        assertThat(counters.accessRejects()).isEqualTo(1);
    }

    /**
     * What a bundle:update of radius-server does, with the state kept by the state store bundle: the server stops while
     * one request is still with its handler, a new server (new counters object, same state) binds the same ports; a
     * retransmission of a request answered before the stop gets the same octets; the one still in progress is not
     * processed again, and its answer (completed after the stop) goes out through the new server's listener, which
     * received that retransmission; the counters continue.
     */
    @Test
    void restartedServerOnTheSameStateAnswersRetransmissionsFromItsCache() throws Exception {
        org.opentwag.support.radius.LocalRadiusServerState state = new org.opentwag.support.radius.LocalRadiusServerState();
        ServerSettings settings = new ServerSettings("127.0.0.1", false, 0, 0, Duration.ofSeconds(30), 1000, 1000, 2,
                Duration.ofSeconds(5), 90);
        server.close();
        server = new RadiusServer(settings, registry, new RadiusCounters(state),
                state.responseCache(settings.dedupWindow(), settings.dedupMaxEntries()), accessHandler::get,
                accountingHandler::get);
        server.start();
        AtomicInteger calls = new AtomicInteger();
        CompletableFuture<RadiusReply> slow = new CompletableFuture<>();
        accessHandler.set(request -> calls.incrementAndGet() == 1
                ? CompletableFuture.completedFuture(RadiusReply.reject("first"))
                : slow);
        byte[] answeredBefore = eapAccessRequest(41);
        byte[] inProgress = eapAccessRequest(42);
        try (DatagramSocket socket = socket("127.0.0.1")) {
            byte[] first = exchange(socket, server.authPort(), answeredBefore);
            socket.send(new DatagramPacket(inProgress, inProgress.length,
                    new InetSocketAddress("127.0.0.1", server.authPort())));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (calls.get() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            int authPort = server.authPort();
            server.close();
            ServerSettings samePorts = settings.withPorts(authPort, 0);
            server = new RadiusServer(samePorts, registry, new RadiusCounters(state),
                    state.responseCache(settings.dedupWindow(), settings.dedupMaxEntries()), accessHandler::get,
                    accountingHandler::get);
            server.start();
            assertThat(exchange(socket, authPort, answeredBefore)).as("answered from the cache kept across the restart")
                    .isEqualTo(first);
            socket.send(new DatagramPacket(inProgress, inProgress.length, new InetSocketAddress("127.0.0.1", authPort)));
            socket.setSoTimeout(300);
            try {
                receive(socket);
                org.assertj.core.api.Assertions.fail("a request still in progress must not be processed twice");
            } catch (SocketTimeoutException expected) {
                // dropped as in progress
            }
            // The old server's handler answers after the stop, later than the last retransmission: the answer goes
            // out through the new server's listener, which received that retransmission.
            slow.complete(RadiusReply.accept(List.of()));
            socket.setSoTimeout(5000);
            RadiusPacket late = RadiusPacket.decode(receive(socket));
            assertThat(late.code()).isEqualTo(RadiusCode.ACCESS_ACCEPT);
            assertThat(late.identifier()).isEqualTo(42);
            RadiusPacket again = RadiusPacket.decode(exchange(socket, authPort, inProgress));
            assertThat(again.code()).as("a later retransmission: from the cache").isEqualTo(RadiusCode.ACCESS_ACCEPT);
        }
        assertThat(calls).hasValue(2);
        RadiusCounters now = new RadiusCounters(state);
        assertThat(now.accessRejects()).isEqualTo(1);
        assertThat(now.accessAccepts()).isEqualTo(1);
        assertThat(now.duplicatesAnswered()).isEqualTo(2);
        assertThat(now.accessRequests()).isEqualTo(5);
    }

    /**
     * A stop first answers what is in progress on its own sockets (up to {@link RadiusServer#DRAIN_LIMIT}), dropping
     * new requests meanwhile: the AP gets the answer while it still waits, not a bundle restart later.
     */
    @Test
    void aStoppingServerAnswersWhatIsInProgressBeforeClosingAndDropsNewRequests() throws Exception {
        CompletableFuture<RadiusReply> slow = new CompletableFuture<>();
        AtomicInteger calls = new AtomicInteger();
        accessHandler.set(request -> {
            calls.incrementAndGet();
            return slow;
        });
        byte[] inProgress = eapAccessRequest(61);
        byte[] arrivingWhileStopping = eapAccessRequest(62);
        try (DatagramSocket socket = socket("127.0.0.1")) {
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", server.authPort());
            socket.send(new DatagramPacket(inProgress, inProgress.length, target));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (calls.get() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            CompletableFuture<Void> closed = CompletableFuture.runAsync(server::close);
            // Sent before the stop began, the request would be handled (and its retransmissions dropped as in
            // progress): wait until the server drains, so that it arrives while stopping.
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!server.stopping() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertThat(server.stopping()).as("the stop began").isTrue();
            while (counters.dropped(DropReason.STOPPING) == 0 && !closed.isDone() && System.nanoTime() < deadline) {
                socket.send(new DatagramPacket(arrivingWhileStopping, arrivingWhileStopping.length, target));
                Thread.sleep(20);
            }
            assertThat(closed).as("still draining").isNotDone();
            assertThat(counters.dropped(DropReason.STOPPING)).isPositive();
            slow.complete(RadiusReply.accept(List.of()));
            socket.setSoTimeout(5000);
            RadiusPacket answer = RadiusPacket.decode(receive(socket));
            assertThat(answer.identifier()).isEqualTo(61);
            assertThat(answer.code()).isEqualTo(RadiusCode.ACCESS_ACCEPT);
            closed.get(5, TimeUnit.SECONDS);
        }
        assertThat(calls).as("the request arriving while stopping was not handled").hasValue(1);
    }

    @Test
    void accessRequestWithoutMessageAuthenticatorIsDropped() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        accessHandler.set(request -> {
            calls.incrementAndGet();
            return CompletableFuture.completedFuture(RadiusReply.accept(List.of()));
        });
        byte[] authenticator = new byte[16];
        new java.security.SecureRandom().nextBytes(authenticator);
        byte[] request = new RadiusPacket(RadiusCode.ACCESS_REQUEST, 5, authenticator, List.of(
                RadiusAttribute.ofString(RadiusDictionary.USER_NAME, "nemo"),
                RadiusAttribute.of(RadiusDictionary.USER_PASSWORD, UserPassword.hide("x".getBytes(), authenticator, SECRET_BYTES))))
                .encode();
        try (DatagramSocket socket = socket("127.0.0.1")) {
            socket.setSoTimeout(500);
            socket.send(new DatagramPacket(request, request.length, new InetSocketAddress("127.0.0.1", server.authPort())));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> receive(socket)).isInstanceOf(SocketTimeoutException.class);
        }
        assertThat(counters.dropped(DropReason.MISSING_MESSAGE_AUTHENTICATOR)).isEqualTo(1);
        assertThat(calls).hasValue(0);
    }

    @Test
    void noAuthenticationHandlerMeansAccessRejectWithReplyMessage() throws Exception {
        byte[] request = eapAccessRequest(3);
        try (DatagramSocket socket = socket("127.0.0.1")) {
            byte[] answer = exchange(socket, server.authPort(), request);
            RadiusPacket reply = RadiusPacket.decode(answer);
            assertThat(reply.code()).isEqualTo(RadiusCode.ACCESS_REJECT);
            assertThat(reply.string(RadiusDictionary.REPLY_MESSAGE)).contains("no authentication handler");
            assertThat(RadiusAuthenticators.verifyResponseAuthenticator(answer, RadiusPacket.decode(request).authenticator(),
                    SECRET_BYTES)).isTrue();
        }
    }

    @Test
    void sourceOutsideTheClientSubnetsGetsNothing() throws Exception {
        accessHandler.set(request -> CompletableFuture.completedFuture(RadiusReply.accept(List.of())));
        try (DatagramSocket socket = socket("127.0.0.2")) {
            socket.setSoTimeout(500);
            byte[] request = eapAccessRequest(4);
            socket.send(new DatagramPacket(request, request.length, new InetSocketAddress("127.0.0.1", server.authPort())));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> receive(socket)).isInstanceOf(SocketTimeoutException.class);
        }
        assertThat(counters.dropped(DropReason.UNKNOWN_CLIENT)).isEqualTo(1);
    }

    @Test
    void malformedDatagramsAreCountedAndTheListenerKeepsServing() throws Exception {
        try (DatagramSocket socket = socket("127.0.0.1")) {
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", server.authPort());
            byte[] garbage = HexFormat.of().parseHex("0101ffff00000000000000000000000000000000");
            socket.send(new DatagramPacket(garbage, garbage.length, target));
            byte[] truncatedAttribute = eapAccessRequest(8);
            truncatedAttribute[21] = (byte) 200; // first attribute's Length runs past the end
            socket.send(new DatagramPacket(truncatedAttribute, truncatedAttribute.length, target));
            byte[] answer = exchange(socket, server.authPort(), eapAccessRequest(9));
            assertThat(RadiusPacket.decode(answer).identifier()).isEqualTo(9);
        }
        assertThat(counters.dropped(DropReason.MALFORMED)).isEqualTo(2);
    }

    @Test
    void beyondMaxPendingRequestsNewWorkIsDroppedAsOverload() throws Exception {
        server.close();
        startServer(1);
        CompletableFuture<RadiusReply> never = new CompletableFuture<>();
        accessHandler.set(request -> never);
        try (DatagramSocket socket = socket("127.0.0.1")) {
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", server.authPort());
            byte[] first = eapAccessRequest(1);
            byte[] second = eapAccessRequest(2);
            socket.send(new DatagramPacket(first, first.length, target));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (counters.pendingRequests() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            socket.send(new DatagramPacket(second, second.length, target));
            while (counters.dropped(DropReason.OVERLOAD) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }
        assertThat(counters.dropped(DropReason.OVERLOAD)).isEqualTo(1);
        assertThat(counters.pendingRequests()).isEqualTo(1);
        never.complete(RadiusReply.reject("late"));
    }
}
