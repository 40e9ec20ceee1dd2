package org.opentwag.gtp.userplane;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import org.opentwag.api.s2a.UserPlaneBearers;
import org.opentwag.gtp.codec.GtpUPacket;

/**
 * Not a test: the user plane's forwarding rate on a real TAP, run by bench/s2a-userplane.sh as root in a private
 * network namespace. Downlink: this process sends G-PDUs (84-octet ICMP inside) to its own GTP-U socket for the given
 * seconds and counts what the user plane wrote to the TAP. Uplink: the script's frame generator sends Ethernet frames
 * into the TAP; this process counts the G-PDUs its PGW-U sink (127.0.0.7:2152) received. Prints one line per second.
 * Arguments: TAP name, seconds, {@code down} or {@code up}.
 */
public final class UserPlaneBench {

    private UserPlaneBench() {
    }

    public static void main(String[] args) throws Exception {
        String tapName = args[0];
        int seconds = Integer.parseInt(args[1]);
        boolean down = args[2].equals("down");
        InetSocketAddress pgwU = new InetSocketAddress("127.0.0.7", 2152);
        UserPlaneBearers.Bearer bearer = new UserPlaneBearers.Bearer("001010000000002", TestFrames.PHONE,
                Frames.inet(0x0a2d0002), List.of(), 0xabcdL, 0x1234L, pgwU);
        UserPlaneBearers fixed = new UserPlaneBearers() {
            @Override
            public Optional<Bearer> byMac(long mac) {
                return mac == bearer.mac() ? Optional.of(bearer) : Optional.empty();
            }

            @Override
            public Optional<Bearer> byLocalTeid(long teid) {
                return teid == bearer.localTeid() ? Optional.of(bearer) : Optional.empty();
            }
        };
        try (TapDevice tap = TapDevice.open(tapName, 4096)) {
            UserPlane[] plane = new UserPlane[1];
            try (GtpUEndpoint gtpu = new GtpUEndpoint(new InetSocketAddress("127.0.0.1", 2152),
                    (d, s) -> plane[0].fromTunnel(d, s));
                 DatagramChannel sink = DatagramChannel.open().bind(pgwU)) {
                plane[0] = new UserPlane(fixed, new UserPlane.Settings(0, 0xffffff00, new int[0], 3600, 1400),
                        TestFrames.TWAG, Frames.inet(0x7f000001), tap, gtpu);
                tap.start(plane[0]::fromAccess);
                AtomicBoolean running = new AtomicBoolean(true);
                LongAdder sunk = new LongAdder();
                LongAdder offered = new LongAdder();
                Thread sinkThread = new Thread(() -> {
                    ByteBuffer b = ByteBuffer.allocate(2048);
                    while (running.get()) {
                        try {
                            b.clear();
                            if (sink.receive(b) != null) {
                                sunk.increment();
                            }
                        } catch (Exception e) {
                            return;
                        }
                    }
                });
                sinkThread.setDaemon(true);
                sinkThread.start();
                long end = System.nanoTime() + seconds * 1_000_000_000L;
                if (down) {
                    Thread sender = new Thread(() -> {
                        byte[] gpdu = GtpUPacket.gpdu(0xabcdL, TestFrames.icmpEcho(0x0a2d0001, 0x0a2d0002)).encode();
                        try (DatagramChannel out = DatagramChannel.open()) {
                            out.connect(new InetSocketAddress("127.0.0.1", 2152));
                            ByteBuffer b = ByteBuffer.wrap(gpdu);
                            while (System.nanoTime() < end) {
                                b.rewind();
                                out.write(b);
                                offered.increment();
                            }
                        } catch (Exception e) {
                            System.err.println("sender: " + e);
                        }
                    });
                    sender.setDaemon(true);
                    sender.start();
                }
                long lastUp = 0;
                long lastDown = 0;
                long lastOffered = 0;
                for (int s = 1; s <= seconds + 1; s++) {
                    Thread.sleep(1000);
                    UserPlane.Metrics m = plane[0].metrics();
                    long up = m.uplinkPackets();
                    long dn = m.downlinkPackets();
                    long off = offered.sum();
                    System.out.printf("t=%2d s  offered %8d/s  downlink %8d/s  uplink %8d/s  (PGW-U sink %d total)%n",
                            s, off - lastOffered, dn - lastDown, up - lastUp, sunk.sum());
                    lastUp = up;
                    lastDown = dn;
                    lastOffered = off;
                }
                running.set(false);
                Map<String, Number> v = plane[0].metrics().values();
                v.forEach((k, n) -> {
                    if (n.longValue() != 0) {
                        System.out.println(k + " " + n);
                    }
                });
                System.out.println("tap read errors " + tap.readErrors.sum() + ", write errors "
                        + tap.writeErrors.sum());
            }
        }
    }
}
