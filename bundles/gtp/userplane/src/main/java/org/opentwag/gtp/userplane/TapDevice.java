package org.opentwag.gtp.userplane;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import org.opentwag.api.s2a.UserPlaneBearers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Linux TAP device (Documentation/networking/tuntap.rst) opened through JNA: /dev/net/tun, TUNSETIFF with
 * IFF_TAP | IFF_NO_PI, so that each read returns one whole Ethernet frame and each write sends one. One reader thread
 * (poll, then non-blocking reads until none is left) hands every frame to the handler (which must not keep the
 * buffer); writes go through a bounded queue drained by one writer thread, so no caller ever blocks on the device.
 * Linux only.
 */
public final class TapDevice implements UserPlane.Access, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TapDevice.class);

    /** What a frame read from the device goes to. */
    public interface FrameHandler {
        void frame(byte[] buffer, int length);
    }

    /** libc, direct-mapped (the fastest JNA calling path). */
    static final class LibC {
        static {
            Native.register(LibC.class, Platform.C_LIBRARY_NAME);
        }

        static native int open(String path, int flags);

        static native int ioctl(int fd, NativeLong request, byte[] argument);

        static native NativeLong read(int fd, byte[] buffer, NativeLong count);

        static native NativeLong write(int fd, byte[] buffer, NativeLong count);

        static native int poll(byte[] fds, NativeLong count, int timeoutMillis);

        static native int close(int fd);

        private LibC() {
        }
    }

    private static final int O_RDWR = 2;
    private static final int O_NONBLOCK = 0x800;
    private static final int O_CLOEXEC = 0x80000;
    private static final long TUNSETIFF = 0x400454caL;
    private static final short IFF_TAP = 0x0002;
    private static final short IFF_NO_PI = 0x1000;
    private static final short POLLIN = 0x0001;
    private static final int IFNAMSIZ = 16;
    private static final int EINTR = 4;
    private static final int EAGAIN = 11;

    private final String name;
    private final int fd;
    private final BlockingQueue<byte[]> toDevice;
    private volatile boolean open = true;
    private Thread reader;
    private Thread writer;
    final LongAdder readErrors = new LongAdder();
    final LongAdder writeErrors = new LongAdder();

    private TapDevice(String name, int fd, int queueCapacity) {
        this.name = name;
        this.fd = fd;
        this.toDevice = new ArrayBlockingQueue<>(queueCapacity);
    }

    /**
     * Attaches to the TAP interface {@code name} (created by the operator with {@code ip tuntap add NAME mode tap},
     * or created here, non-persistent, when missing and the process may).
     */
    public static TapDevice open(String name, int queueCapacity) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        if (nameBytes.length == 0 || nameBytes.length >= IFNAMSIZ) {
            throw new IOException("interface name '" + name + "' must have 1 to 15 characters");
        }
        int fd = LibC.open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0) {
            throw new IOException("open /dev/net/tun: errno " + Native.getLastError());
        }
        // struct ifreq: char ifr_name[16]; short ifr_flags; (union padded to 40 octets on 64-bit Linux)
        ByteBuffer ifreq = ByteBuffer.allocate(40).order(ByteOrder.nativeOrder());
        ifreq.put(nameBytes).position(IFNAMSIZ);
        ifreq.putShort((short) (IFF_TAP | IFF_NO_PI));
        if (LibC.ioctl(fd, new NativeLong(TUNSETIFF), ifreq.array()) < 0) {
            int errno = Native.getLastError();
            LibC.close(fd);
            throw new IOException("TUNSETIFF " + name + " (IFF_TAP | IFF_NO_PI): errno " + errno
                    + (errno == 22 ? " (a TUN device, or one created with other flags, has this name)"
                    : errno == 1 ? " (needs CAP_NET_ADMIN, or a TAP device owned by this user)" : ""));
        }
        return new TapDevice(name, fd, queueCapacity);
    }

    /** The interface's own MAC (the host's side, as {@code ip link} shows it). */
    public long interfaceMac() throws IOException {
        String text = Files.readString(Path.of("/sys/class/net", name, "address"), StandardCharsets.US_ASCII).trim();
        long mac = UserPlaneBearers.parseMac(text);
        if (mac < 0) {
            throw new IOException("MAC of " + name + " unreadable: '" + text + "'");
        }
        return mac;
    }

    public String name() {
        return name;
    }

    /** Starts the reader and the writer threads. */
    public void start(FrameHandler handler) {
        reader = new Thread(() -> readLoop(handler), "s2a-tap-read-" + name);
        writer = new Thread(this::writeLoop, "s2a-tap-write-" + name);
        reader.setDaemon(true);
        writer.setDaemon(true);
        reader.start();
        writer.start();
    }

    private void readLoop(FrameHandler handler) {
        byte[] buffer = new byte[65536];
        ByteBuffer pollfd = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
        pollfd.putInt(0, fd).putShort(4, POLLIN);
        byte[] fds = pollfd.array();
        NativeLong one = new NativeLong(1);
        NativeLong size = new NativeLong(buffer.length);
        while (open) {
            // poll with a timeout so that close() ends the loop: a read blocked on a TAP is not woken by close(2).
            int ready = LibC.poll(fds, one, 200);
            if (ready <= 0) {
                if (ready < 0 && Native.getLastError() != EINTR) {
                    readErrors.increment();
                }
                continue;
            }
            // drain what is there (non-blocking reads until EAGAIN) before the next poll: one syscall per frame
            for (int burst = 0; burst < 1024 && open; burst++) {
                long n = LibC.read(fd, buffer, size).longValue();
                if (n < 0) {
                    int errno = Native.getLastError();
                    if (errno != EINTR && errno != EAGAIN) {
                        readErrors.increment();
                        LOG.warn("S2a user plane: read from {}: errno {}", name, errno);
                    }
                    break;
                }
                try {
                    handler.frame(buffer, (int) n);
                } catch (RuntimeException e) {
                    LOG.warn("S2a user plane: frame from {} not handled: {}", name, e.toString());
                }
            }
        }
    }

    private void writeLoop() {
        while (open) {
            byte[] frame;
            try {
                frame = toDevice.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (frame != null && LibC.write(fd, frame, new NativeLong(frame.length)).longValue() < 0 && open) {
                writeErrors.increment();
                LOG.debug("S2a user plane: write to {}: errno {}", name, Native.getLastError());
            }
        }
    }

    /** Queues a frame for the device; false when the queue is full (the frame is dropped). */
    @Override
    public boolean send(byte[] frame) {
        return open && toDevice.offer(frame);
    }

    @Override
    public void close() {
        open = false;
        for (Thread t : new Thread[] {reader, writer}) {
            if (t != null) {
                try {
                    t.join(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        LibC.close(fd);
    }
}
