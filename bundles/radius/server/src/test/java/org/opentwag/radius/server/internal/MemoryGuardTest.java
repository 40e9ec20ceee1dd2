package org.opentwag.radius.server.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.opentwag.radius.codec.RadiusAttribute;
import org.opentwag.radius.codec.RadiusCode;
import org.opentwag.radius.codec.RadiusDictionary;
import org.opentwag.radius.codec.RadiusPacket;
import org.opentwag.radius.codec.RadiusRequestEncoder;
import org.opentwag.radius.server.RadiusReply;
import org.opentwag.radius.server.RadiusServerStatistics.DropReason;
import org.opentwag.support.radius.StripedResponseCache;

/**
 * The memory guard: with the heap after collection at or above memoryGuardPercent, an Access-Request that starts a
 * login (no State) is dropped and counted; one that continues a login (State) and Accounting-Requests are served.
 */
class MemoryGuardTest {
    private static final byte[] SECRET = "memory-guard-shared-secret".getBytes(US_ASCII);

    private final AccessPointGroups groups = new AccessPointGroups();
    private final RadiusCounters counters = new RadiusCounters();
    private final AtomicLong heapPercent = new AtomicLong();
    private final AtomicInteger accessCalls = new AtomicInteger();
    private final AtomicInteger accountingCalls = new AtomicInteger();
    private final RadiusDispatcher dispatcher;

    MemoryGuardTest() {
        groups.put("loopback", new AccessPointGroup("loopback", List.of(Subnet.parse("127.0.0.1/32")), SECRET, true, 3799));
        dispatcher = new RadiusDispatcher(groups, new StripedResponseCache(Duration.ofSeconds(30), 1000), counters,
                Runnable::run, 100, Duration.ofSeconds(5),
                () -> request -> {
                    accessCalls.incrementAndGet();
                    return CompletableFuture.completedFuture(RadiusReply.reject("test"));
                },
                () -> request -> {
                    accountingCalls.incrementAndGet();
                    return CompletableFuture.completedFuture(null);
                },
                new RadiusDispatcher.MemoryGuard(() -> heapPercent.get() / 100.0, 90));
    }

    @Test
    void aboveTheGuardNewLoginsAreDroppedAndLoginsUnderWayAndAccountingGoOn() throws Exception {
        heapPercent.set(95);
        assertThat(send(RadiusDispatcher.Port.AUTH, access(1, null))).as("new login").isNull();
        assertThat(counters.dropped(DropReason.MEMORY)).isEqualTo(1);
        assertThat(accessCalls).hasValue(0);

        RadiusPacket continued = send(RadiusDispatcher.Port.AUTH, access(2, new byte[] {7, 7, 7, 7}));
        assertThat(continued).as("login under way (State)").isNotNull();
        assertThat(continued.code()).isEqualTo(RadiusCode.ACCESS_REJECT);
        RadiusPacket accounted = send(RadiusDispatcher.Port.ACCT, accountingStart(3));
        assertThat(accounted).isNotNull();
        assertThat(accounted.code()).isEqualTo(RadiusCode.ACCOUNTING_RESPONSE);
        assertThat(accessCalls).hasValue(1);
        assertThat(accountingCalls).hasValue(1);

        heapPercent.set(89);
        assertThat(send(RadiusDispatcher.Port.AUTH, access(4, null))).as("below the guard again").isNotNull();
        assertThat(counters.dropped(DropReason.MEMORY)).isEqualTo(1);
        assertThat(accessCalls).hasValue(2);
    }

    @Test
    void zeroTurnsTheGuardOff() {
        assertThat(new RadiusDispatcher.MemoryGuard(() -> 1.0, 0).refusesNewLogins()).isFalse();
        assertThat(new RadiusDispatcher.MemoryGuard(() -> 0.9, 90).refusesNewLogins()).isTrue();
        assertThat(new RadiusDispatcher.MemoryGuard(() -> 0.89, 90).refusesNewLogins()).isFalse();
    }

    private RadiusPacket send(RadiusDispatcher.Port port, byte[] datagram) throws Exception {
        LinkedBlockingQueue<byte[]> answers = new LinkedBlockingQueue<>();
        dispatcher.onDatagram(datagram, new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000), 1812, port,
                answers::add);
        byte[] answer = answers.poll(2, TimeUnit.SECONDS);
        return answer == null ? null : RadiusPacket.decode(answer);
    }

    private static byte[] access(int identifier, byte[] state) {
        List<RadiusAttribute> attributes = new java.util.ArrayList<>(List.of(
                RadiusAttribute.ofString(RadiusDictionary.USER_NAME, "0001010000000001@wlan.mnc001.mcc001.3gppnetwork.org"),
                RadiusAttribute.of(RadiusDictionary.EAP_MESSAGE, new byte[] {2, 0, 0, 5, 1})));
        if (state != null) {
            attributes.add(RadiusAttribute.of(RadiusDictionary.STATE, state));
        }
        return RadiusRequestEncoder.encode(RadiusCode.ACCESS_REQUEST, identifier, attributes, SECRET, true);
    }

    private static byte[] accountingStart(int identifier) {
        return RadiusRequestEncoder.encode(RadiusCode.ACCOUNTING_REQUEST, identifier, List.of(
                RadiusAttribute.ofString(RadiusDictionary.USER_NAME, "0001010000000001@wlan.mnc001.mcc001.3gppnetwork.org"),
                RadiusAttribute.ofString(RadiusDictionary.ACCT_SESSION_ID, "s1"),
                RadiusAttribute.of(RadiusDictionary.ACCT_STATUS_TYPE, new byte[] {0, 0, 0, 1})), SECRET, true);
    }
}
