package org.opentwag.loadgen;

import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.opentwag.api.eap.EapPacket;
import org.opentwag.loadgen.peer.AkaPeer;
import org.opentwag.milenage.UsimSimulator;
import org.opentwag.radius.codec.EapMessages;
import org.opentwag.radius.codec.MppeKeys;
import org.opentwag.radius.codec.RadiusAttribute;
import org.opentwag.radius.codec.RadiusCode;
import org.opentwag.radius.codec.RadiusDecodeException;
import org.opentwag.radius.codec.RadiusDictionary;
import org.opentwag.radius.codec.RadiusPacket;
import org.opentwag.support.async.Futures;

/**
 * Simulated phones authenticating through simulated access points: per UE a Milenage USIM and an EAP-AKA/AKA' peer,
 * per conversation Access-Requests until Access-Accept or Reject (each answer checked: authenticators, EAP-Success,
 * MS-MPPE keys equal to the peer's MSK), then optionally the session's accounting. Paced by a rate or by a number in
 * flight, bounded by count and time; reports each second and ends with a {@link Result}.
 */
public final class LoadGenerator {

    /** What a successful authentication turned out to be. */
    public enum Kind { AKA, AKA_PRIME, REAUTH }

    private static final int MAX_ROUNDS = 12;

    private final LoadOptions o;
    private final PrintStream out;
    private final SubscriberRange range;
    private final byte[] secret;
    private final Ue[] ues;
    private final AtomicInteger cursor = new AtomicInteger();

    private final AtomicLong started = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder[] succeeded = {new LongAdder(), new LongAdder(), new LongAdder()};
    private final AtomicLong[] firstStart = {new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong()};
    private final AtomicLong[] lastEnd = {new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong()};
    private final LongAdder rejected = new LongAdder();
    private final LongAdder peerErrors = new LongAdder();
    private final LongAdder timedOut = new LongAdder();
    private final LongAdder resyncs = new LongAdder();
    private final LongAdder shed = new LongAdder();
    private final LongAdder acctOk = new LongAdder();
    private final LongAdder acctFailed = new LongAdder();
    private final LongAdder completed = new LongAdder();
    private final Recorder authLatency = new Recorder(3);
    private final Recorder acctLatency = new Recorder(3);
    private final Histogram authTotal = new Histogram(3);
    private final Histogram acctTotal = new Histogram(3);
    private final List<String> firstErrors = new ArrayList<>();
    private final AtomicBoolean stopping = new AtomicBoolean();

    private volatile RadiusClient client;
    private volatile java.util.function.BiConsumer<String, Integer> accountingAnswered = (id, status) -> { };
    private volatile long t0;
    private volatile long endNanos;

    public LoadGenerator(LoadOptions options, PrintStream out) {
        this.o = options.validate();
        this.out = out;
        this.range = o.range();
        this.secret = o.secret.getBytes(StandardCharsets.UTF_8);
        this.accessPoints = new InetAddress[o.accessPoints];
        for (int i = 0; i < accessPoints.length; i++) {
            accessPoints[i] = loopback(i + 1);
        }
        this.ues = new Ue[o.subscribers];
        for (int i = 0; i < ues.length; i++) {
            ues[i] = new Ue(i);
        }
    }

    /**
     * Tells the listener the Acct-Session-Id and Acct-Status-Type of every Accounting-Request the server acknowledged
     * (tests compare them with what the database holds). Set before {@link #run()}.
     */
    public LoadGenerator onAccountingAnswered(java.util.function.BiConsumer<String, Integer> listener) {
        this.accountingAnswered = listener;
        return this;
    }

    /** Asks a running {@link #run()} to stop starting and finish what is in flight. */
    /**
     * From now on new requests (each round of an EAP conversation, each Accounting-Request) go to another server;
     * retransmissions stay with the server the request was first sent to. For a cluster whose node is drained.
     */
    public void retarget(String host, int authPort, int acctPort) {
        RadiusClient c = client;
        if (c == null) {
            throw new IllegalStateException("not running");
        }
        c.retarget(host, authPort, acctPort);
    }

    public void stop() {
        stopping.set(true);
    }

    /** Writes the subscriber and balance files when asked, then runs (unless write-only). */
    public Result run() throws Exception {
        if (o.writeDir != null) {
            Path dir = Path.of(o.writeDir);
            Files.createDirectories(dir);
            range.writeHssSubscribers(dir.resolve("hss-subscribers.csv"), o.sqn);
            range.writeOcsBalances(dir.resolve("ocs-balances.csv"), o.balanceOctets);
            out.println("Wrote " + o.subscribers + " subscribers to " + dir.resolve("hss-subscribers.csv") + " and "
                    + dir.resolve("ocs-balances.csv"));
            if (!o.runAfterWrite) {
                return null;
            }
        }
        EventLoopGroup group = new NioEventLoopGroup(o.threads, new DefaultThreadFactory("loadgen-io", true));
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "loadgen-pacer");
            t.setDaemon(true);
            return t;
        });
        try {
            client = new RadiusClient(group, o.host, o.authPort, o.acctPort, secret, o.socketsNeeded(),
                    o.timeoutMillis, o.attempts);
            out.printf("Load: %s %s, %d UEs from %s, %s, %s, mix aka=%d aka'=%d reauth=%d%s, server %s:%d/%d%n",
                    o.mode.name().toLowerCase(), o.rate > 0 ? o.rate + "/s (max " + o.concurrency + " in flight)"
                            : o.concurrency + " in flight", o.subscribers, o.imsiStart,
                    o.count > 0 ? o.count + " max" : "no count bound",
                    o.durationSeconds > 0 ? o.durationSeconds + " s max" : "no time bound",
                    o.mixAka, o.mixAkaPrime, o.mixReauth, o.accounting ? ", accounting" + (o.hold ? " (hold)" : "")
                            : "", o.host, o.authPort, o.acctPort);
            if (o.warmupSeconds > 0) {
                // Same load, not counted: both JVMs' JIT compilers finish their work before the measured part.
                out.printf("Warm-up: %d s, not counted%n", o.warmupSeconds);
                runFor(pacer, TimeUnit.SECONDS.toNanos(o.warmupSeconds));
                resetFigures();
                out.println("Warm-up over, measuring");
            }
            if (!stopping.get()) { // stop() or Ctrl-C during the warm-up ends the run
                runFor(pacer, o.durationSeconds > 0 ? TimeUnit.SECONDS.toNanos(o.durationSeconds) : Long.MAX_VALUE);
            }
        } finally {
            pacer.shutdownNow();
            if (client != null) {
                client.close();
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        Result r = result();
        out.print(r.table());
        return r;
    }

    /** Starts work (paced or closed loop) until the bounds say stop, then waits for what is in flight. */
    private void runFor(ScheduledExecutorService pacer, long nanos) throws InterruptedException {
        t0 = System.nanoTime();
        endNanos = nanos == Long.MAX_VALUE ? Long.MAX_VALUE : t0 + nanos;
        java.util.concurrent.ScheduledFuture<?> pacing = null;
        if (o.rate > 0) {
            pacing = pacer.scheduleAtFixedRate(this::pace, 0, 1, TimeUnit.MILLISECONDS);
        } else {
            for (int i = 0; i < o.concurrency && mayStart(); i++) {
                startOne();
            }
        }
        try {
            waitUntilDone();
        } finally {
            if (pacing != null) {
                pacing.cancel(false);
            }
        }
    }

    /** Forgets the figures of the warm-up; the UEs keep their state (SQN, re-authentication identities). */
    private void resetFigures() {
        started.set(0);
        completed.reset();
        for (LongAdder a : succeeded) {
            a.reset();
        }
        for (int i = 0; i < firstStart.length; i++) {
            firstStart[i].set(0);
            lastEnd[i].set(0);
        }
        for (LongAdder a : List.of(rejected, peerErrors, timedOut, resyncs, shed, acctOk, acctFailed,
                client.retransmissions, client.badAnswers)) {
            a.reset();
        }
        authLatency.reset();
        acctLatency.reset();
        authTotal.reset();
        acctTotal.reset();
        synchronized (firstErrors) {
            firstErrors.clear();
        }
    }

    // ------------------------------------------------------------------ pacing

    private boolean mayStart() {
        return !stopping.get() && (o.count == 0 || started.get() < o.count) && System.nanoTime() < endNanos;
    }

    /** Open loop: starts what the schedule says is due; what does not fit in flight is shed and counted. */
    private void pace() {
        long due = (System.nanoTime() - t0) * o.rate / 1_000_000_000L;
        while (started.get() < due && mayStart()) {
            if (inFlight.get() >= o.concurrency) {
                started.incrementAndGet();
                shed.increment();
                continue;
            }
            startOne();
        }
    }

    private void startOne() {
        started.incrementAndGet();
        inFlight.incrementAndGet();
        try {
            if (o.mode == LoadOptions.Mode.ACCOUNTING) {
                accountingOnly();
            } else {
                Ue ue = pick();
                if (ue == null) {
                    shed.increment();
                    finished(null);
                    return;
                }
                new Conversation(ue, choose(ue)).start();
            }
        } catch (RuntimeException e) {
            error("start: " + e);
            peerErrors.increment();
            finished(null);
        }
    }

    /** Called once per started unit of work when it is over; keeps the closed loop full. */
    private void finished(Ue ue) {
        if (ue != null) {
            ue.busy.set(false);
        }
        completed.increment();
        inFlight.decrementAndGet();
        if (o.rate == 0 && mayStart()) {
            startOne();
        }
    }

    private Ue pick() {
        for (int tries = 0; tries < ues.length; tries++) {
            Ue ue = ues[Math.floorMod(cursor.getAndIncrement(), ues.length)];
            if (ue.busy.compareAndSet(false, true)) {
                return ue;
            }
        }
        return null;
    }

    private AkaPeer choose(Ue ue) {
        int total = o.mixAka + o.mixAkaPrime + o.mixReauth;
        int r = ThreadLocalRandom.current().nextInt(total);
        if (r >= o.mixAka + o.mixAkaPrime) {
            if (ue.last != null && ue.last.reauthIdentity() != null) {
                ue.wantReauth = true;
                return ue.last;
            }
            // No re-authentication identity yet: a full authentication with a method of the mix earns one.
            if (o.mixAka + o.mixAkaPrime == 0) {
                ue.wantReauth = false;
                return ue.peer(false);
            }
            r = ThreadLocalRandom.current().nextInt(o.mixAka + o.mixAkaPrime);
        }
        ue.wantReauth = false;
        return r < o.mixAka ? ue.peer(false) : ue.peer(true);
    }

    private void waitUntilDone() throws InterruptedException {
        long lastCompleted = -1;
        long lastChange = System.nanoTime();
        long stallNanos = TimeUnit.MILLISECONDS.toNanos(o.timeoutMillis * o.attempts * 3L + 5_000);
        long nextReport = System.nanoTime() + 1_000_000_000L;
        long prevOk = 0;
        long prevAcct = 0;
        Histogram interval = null;
        try {
            while (true) {
                Thread.sleep(50);
                long now = System.nanoTime();
                if (!mayStart() && inFlight.get() == 0) {
                    break;
                }
                long c = completed.sum();
                if (c != lastCompleted) {
                    lastCompleted = c;
                    lastChange = now;
                } else if (now - lastChange > stallNanos) {
                    error("no progress for " + TimeUnit.NANOSECONDS.toSeconds(stallNanos) + " s; giving up with "
                            + inFlight.get() + " in flight");
                    break;
                }
                if (now >= nextReport) {
                    nextReport += 1_000_000_000L;
                    interval = authLatency.getIntervalHistogram(interval);
                    authTotal.add(interval);
                    Histogram acctInterval = acctLatency.getIntervalHistogram();
                    acctTotal.add(acctInterval);
                    long ok = okTotal();
                    long acct = acctOk.sum();
                    if (o.progress) {
                        out.printf("[%4ds] ok %d (+%d/s) reject %d error %d timeout %d in flight %d retrans %d"
                                        + " acct %d (+%d/s) p50 %.2f p99 %.2f ms%n",
                                TimeUnit.NANOSECONDS.toSeconds(now - t0), ok, ok - prevOk, rejected.sum(),
                                peerErrors.sum(), timedOut.sum(), inFlight.get(), client.retransmissions.sum(), acct,
                                acct - prevAcct, ms(interval.getValueAtPercentile(50)),
                                ms(interval.getValueAtPercentile(99)));
                    }
                    prevOk = ok;
                    prevAcct = acct;
                }
            }
        } catch (InterruptedException e) {
            // Ctrl-C in the shell: stop starting, give what is in flight one retransmission cycle, then report.
            stopping.set(true);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(o.timeoutMillis * o.attempts + 500);
            try {
                while (inFlight.get() > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
            } catch (InterruptedException again) {
                Thread.currentThread().interrupt();
            }
        }
        authTotal.add(authLatency.getIntervalHistogram());
        acctTotal.add(acctLatency.getIntervalHistogram());
    }

    private long okTotal() {
        return succeeded[0].sum() + succeeded[1].sum() + succeeded[2].sum();
    }

    // ------------------------------------------------------------------ one authentication

    /** One simulated UE: its USIM (shared by both methods, as one SIM card), its peers, its accounting sessions. */
    private final class Ue {
        final int index;
        final AtomicBoolean busy = new AtomicBoolean();
        UsimSimulator usim;
        AkaPeer aka;
        AkaPeer akaPrime;
        AkaPeer last;
        boolean wantReauth;
        int sessions;
        long acctSessionCount;

        Ue(int index) {
            this.index = index;
        }

        AkaPeer peer(boolean prime) {
            if (usim == null) {
                SubscriberRange.Subscriber s = range.subscriber(index);
                usim = new UsimSimulator(s.ki(), s.opc(), o.sqn);
            }
            AkaPeer p = prime ? akaPrime : aka;
            if (p == null) {
                UsimSimulator card = usim;
                p = new AkaPeer((prime ? "6" : "0") + range.imsi(index) + "@" + range.realm(), card::authenticate,
                        prime, o.pseudonyms);
                if (prime) {
                    akaPrime = p;
                } else {
                    aka = p;
                }
            }
            return p;
        }

        /** The access point this UE is attached to: its NAS-IP-Address in every request (127.0.0.1, 127.0.0.2, ...). */
        InetAddress nasIp() {
            return accessPoints[index % accessPoints.length];
        }

        String callingStationId() {
            return String.format("02-00-%02X-%02X-%02X-%02X", (index >>> 24) & 0xff, (index >>> 16) & 0xff,
                    (index >>> 8) & 0xff, index & 0xff);
        }
    }

    private static final String CALLED_STATION = "64-D9-89-1D-A4-20:OpenTWAG-load";

    private final class Conversation {
        final Ue ue;
        final AkaPeer peer;
        final long startNanos = System.nanoTime();
        String userName;
        byte[] state;
        int rounds;

        Conversation(Ue ue, AkaPeer peer) {
            this.ue = ue;
            this.peer = peer;
        }

        void start() {
            ue.last = peer;
            byte[] eap = peer.start(0, ue.wantReauth);
            userName = peer.identity();
            send(eap);
        }

        void send(byte[] eap) {
            List<RadiusAttribute> attrs = new ArrayList<>(10);
            attrs.add(RadiusAttribute.ofString(RadiusDictionary.USER_NAME, userName));
            attrs.add(RadiusAttribute.ofAddress(RadiusDictionary.NAS_IP_ADDRESS, ue.nasIp()));
            attrs.add(RadiusAttribute.ofString(RadiusDictionary.CALLED_STATION_ID, CALLED_STATION));
            attrs.add(RadiusAttribute.ofString(RadiusDictionary.CALLING_STATION_ID, ue.callingStationId()));
            attrs.add(RadiusAttribute.ofInt(RadiusDictionary.NAS_PORT_TYPE,
                    RadiusDictionary.NAS_PORT_TYPE_WIRELESS_802_11));
            attrs.add(RadiusAttribute.ofInt(RadiusDictionary.FRAMED_MTU, 1400));
            attrs.addAll(EapMessages.split(eap));
            if (state != null) {
                attrs.add(RadiusAttribute.of(RadiusDictionary.STATE, state));
            }
            client.access(attrs).whenComplete((x, t) -> {
                try {
                    onAnswer(x, t);
                } catch (RuntimeException e) {
                    fail("unexpected: " + e);
                }
            });
        }

        void onAnswer(RadiusClient.Exchange x, Throwable t) {
            if (t != null) {
                Throwable cause = Futures.unwrap(t);
                if (cause instanceof TimeoutException) {
                    timedOut.increment();
                    error("timeout: " + userName + ": " + cause.getMessage());
                    finished(ue);
                } else {
                    fail(cause.toString());
                }
                return;
            }
            RadiusPacket r = x.response();
            switch (r.code()) {
                case RadiusCode.ACCESS_CHALLENGE -> {
                    byte[] eap = r.eapMessage().orElse(null);
                    state = r.octets(RadiusDictionary.STATE).orElse(null);
                    if (eap == null || ++rounds > MAX_ROUNDS) {
                        fail(eap == null ? "Access-Challenge without EAP-Message" : "more than " + MAX_ROUNDS
                                + " rounds");
                        return;
                    }
                    byte[] reply;
                    try {
                        reply = peer.respond(eap);
                    } catch (AkaPeer.PeerException | IllegalArgumentException e) {
                        fail(e.getMessage());
                        return;
                    }
                    if (peer.synchronisationFailed()) {
                        resyncs.increment();
                    }
                    send(reply);
                }
                case RadiusCode.ACCESS_ACCEPT -> accepted(x);
                default -> {
                    rejected.increment();
                    error("Access-Reject for " + userName);
                    finished(ue);
                }
            }
        }

        void accepted(RadiusClient.Exchange x) {
            RadiusPacket r = x.response();
            byte[] eap = r.eapMessage().orElse(null);
            if (eap == null || EapPacket.decode(eap).code() != EapPacket.SUCCESS) {
                fail("Access-Accept without EAP-Success");
                return;
            }
            byte[] msk = peer.msk();
            byte[] recv = null;
            try {
                RadiusAttribute a = r.vendorAttribute(RadiusDictionary.VENDOR_MICROSOFT,
                        RadiusDictionary.MS_MPPE_RECV_KEY).orElse(null);
                recv = a == null ? null : MppeKeys.decrypt(a.value(), x.requestAuthenticator(), secret);
            } catch (RadiusDecodeException e) {
                fail("MS-MPPE-Recv-Key: " + e.getMessage());
                return;
            }
            if (msk == null || recv == null || !Arrays.equals(recv, Arrays.copyOf(msk, 32))) {
                fail("MS-MPPE-Recv-Key is not the first half of the peer's MSK");
                return;
            }
            long end = System.nanoTime();
            Kind kind = peer.reauthenticating() ? Kind.REAUTH : peer.akaPrime() ? Kind.AKA_PRIME : Kind.AKA;
            succeeded[kind.ordinal()].increment();
            mark(kind.ordinal(), startNanos, end);
            authLatency.recordValue(Math.max(1, (end - startNanos) / 1000));
            if (!o.accounting) {
                finished(ue);
                return;
            }
            byte[] cls = r.octets(RadiusDictionary.CLASS).orElse(null);
            String sessionId = o.acctSessionPrefix + String.format("%08X-%d", ue.index, ue.sessions++);
            String name = r.string(RadiusDictionary.USER_NAME).orElse(userName);
            accountingChain(ue, sessionId, name, cls, 0);
        }

        void fail(String why) {
            peerErrors.increment();
            error(userName + ": " + why);
            ue.last = null; // start over with a full authentication
            peer.forgetReauthIdentity();
            finished(ue);
        }
    }

    // ------------------------------------------------------------------ accounting

    /** The NAS-IP-Address of each simulated access point (the datagrams all come from this host's socket). */
    private final InetAddress[] accessPoints;

    private static InetAddress loopback(int host) {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) host});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Start, then interims, then Stop (unless hold), one after the other; the UE is free when the chain ends. */
    private void accountingChain(Ue ue, String sessionId, String userName, byte[] cls, int step) {
        int last = o.hold ? 0 : o.interims + 1;
        int status = step == 0 ? RadiusDictionary.ACCT_STATUS_START : step == last
                ? RadiusDictionary.ACCT_STATUS_STOP : RadiusDictionary.ACCT_STATUS_INTERIM_UPDATE;
        sendAccounting(ue, sessionId, userName, cls, status, step).whenComplete((ok, t) -> {
            if (ok && step < last) {
                accountingChain(ue, sessionId, userName, cls, step + 1);
            } else {
                finished(ue);
            }
        });
    }

    private CompletableFuture<Boolean> sendAccounting(Ue ue, String sessionId, String userName, byte[] cls,
                                                      int status, int step) {
        List<RadiusAttribute> attrs = new ArrayList<>(12);
        attrs.add(RadiusAttribute.ofInt(RadiusDictionary.ACCT_STATUS_TYPE, status));
        attrs.add(RadiusAttribute.ofString(RadiusDictionary.ACCT_SESSION_ID, sessionId));
        attrs.add(RadiusAttribute.ofString(RadiusDictionary.USER_NAME, userName));
        if (cls != null) {
            attrs.add(RadiusAttribute.of(RadiusDictionary.CLASS, cls));
        }
        attrs.add(RadiusAttribute.ofAddress(RadiusDictionary.NAS_IP_ADDRESS, ue.nasIp()));
        attrs.add(RadiusAttribute.ofString(RadiusDictionary.CALLED_STATION_ID, CALLED_STATION));
        attrs.add(RadiusAttribute.ofString(RadiusDictionary.CALLING_STATION_ID, ue.callingStationId()));
        attrs.add(RadiusAttribute.ofInt(RadiusDictionary.NAS_PORT_TYPE, RadiusDictionary.NAS_PORT_TYPE_WIRELESS_802_11));
        if (status != RadiusDictionary.ACCT_STATUS_START) {
            attrs.add(RadiusAttribute.ofInt(RadiusDictionary.ACCT_INPUT_OCTETS, 100_000L * step));
            attrs.add(RadiusAttribute.ofInt(RadiusDictionary.ACCT_OUTPUT_OCTETS, 1_000_000L * step));
            attrs.add(RadiusAttribute.ofInt(RadiusDictionary.ACCT_SESSION_TIME, 60L * step));
        }
        if (status == RadiusDictionary.ACCT_STATUS_STOP) {
            attrs.add(RadiusAttribute.ofInt(RadiusDictionary.ACCT_TERMINATE_CAUSE, 1));
        }
        long t = System.nanoTime();
        return client.accounting(attrs).handle((x, e) -> {
            long end = System.nanoTime();
            if (e != null) {
                acctFailed.increment();
                error("accounting " + sessionId + ": " + (e.getCause() != null ? e.getCause() : e));
                return false;
            }
            acctOk.increment();
            accountingAnswered.accept(sessionId, status);
            mark(3, t, end);
            acctLatency.recordValue(Math.max(1, (end - t) / 1000));
            return true;
        });
    }

    /** Accounting mode: each unit of work is one Accounting-Request (Start first per UE, then Interim-Updates). */
    private void accountingOnly() {
        Ue ue = o.acctRandomOrder ? ues[ThreadLocalRandom.current().nextInt(ues.length)]
                : ues[Math.floorMod(cursor.getAndIncrement(), ues.length)];
        long n;
        synchronized (ue) {
            n = ue.acctSessionCount++;
        }
        int status = n == 0 ? RadiusDictionary.ACCT_STATUS_START : RadiusDictionary.ACCT_STATUS_INTERIM_UPDATE;
        sendAccounting(ue, String.format("%08X-A", ue.index), "0" + range.imsi(ue.index) + "@" + range.realm(), null,
                status, (int) Math.min(n, 1_000_000)).whenComplete((ok, t) -> finished(null));
    }

    // ------------------------------------------------------------------ results

    private void mark(int slot, long start, long end) {
        firstStart[slot].compareAndSet(0, start);
        lastEnd[slot].accumulateAndGet(end, Math::max);
    }

    private void error(String message) {
        synchronized (firstErrors) {
            if (firstErrors.size() < 10) {
                firstErrors.add(message);
            }
        }
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }

    private double rate(long n, int slot) {
        long span = lastEnd[slot].get() - firstStart[slot].get();
        return n == 0 || span <= 0 ? 0 : n * 1e9 / span;
    }

    private Result result() {
        long[] byKind = {succeeded[0].sum(), succeeded[1].sum(), succeeded[2].sum()};
        long ok = byKind[0] + byKind[1] + byKind[2];
        long firstAny = Arrays.stream(firstStart).limit(3).mapToLong(AtomicLong::get).filter(v -> v > 0).min()
                .orElse(0);
        long lastAny = Arrays.stream(lastEnd).limit(3).mapToLong(AtomicLong::get).max().orElse(0);
        double authRate = ok == 0 || lastAny <= firstAny ? 0 : ok * 1e9 / (lastAny - firstAny);
        List<String> errors;
        synchronized (firstErrors) {
            errors = List.copyOf(firstErrors);
        }
        return new Result(started.get() - shed.sum(), ok, byKind, authRate,
                new double[]{rate(byKind[0], 0), rate(byKind[1], 1), rate(byKind[2], 2)}, rejected.sum(),
                peerErrors.sum(), timedOut.sum(), shed.sum(), resyncs.sum(), client == null ? 0
                : client.retransmissions.sum(), client == null ? 0 : client.badAnswers.sum(), acctOk.sum(),
                acctFailed.sum(), rate(acctOk.sum(), 3), authTotal.copy(), acctTotal.copy(),
                (System.nanoTime() - t0) / 1e9, errors);
    }

    /** The figures of a run; latencies in microseconds. */
    public record Result(long started, long succeeded, long[] succeededByKind, double authsPerSecond,
                         double[] ratesByKind, long rejected, long errors, long timeouts, long shed, long resyncs,
                         long retransmissions, long badAnswers, long accountingOk, long accountingFailed,
                         double accountingPerSecond, Histogram authLatency, Histogram accountingLatency,
                         double seconds, List<String> firstErrors) {

        public long failed() {
            return rejected + errors;
        }

        public String table() {
            StringBuilder b = new StringBuilder();
            b.append(String.format("%n=== OpenTWAG load generator: %.1f s ===%n", seconds));
            b.append(String.format("authentications started %d, succeeded %d, rejected %d, errors %d, timeouts %d,"
                    + " shed %d%n", started, succeeded, rejected, errors, timeouts, shed));
            b.append(String.format("  full EAP-AKA %d (%.0f/s), full EAP-AKA' %d (%.0f/s), fast re-auth %d (%.0f/s);"
                            + " resyncs %d, retransmissions %d, late or unverifiable answers %d%n", succeededByKind[0], ratesByKind[0],
                    succeededByKind[1], ratesByKind[1], succeededByKind[2], ratesByKind[2], resyncs,
                    retransmissions, badAnswers));
            b.append(String.format("auths/s %.0f%n", authsPerSecond));
            b.append(percentiles("auth latency", authLatency));
            if (accountingOk + accountingFailed > 0) {
                b.append(String.format("accounting ok %d, failed %d, %.0f/s%n", accountingOk, accountingFailed,
                        accountingPerSecond));
                b.append(percentiles("accounting latency", accountingLatency));
            }
            for (String e : firstErrors) {
                b.append("  first errors: ").append(e).append('\n');
            }
            // One line for scripts (bench/run): key=value, rates per second, latencies in ms.
            Histogram h = authLatency.getTotalCount() > 0 ? authLatency : accountingLatency;
            b.append(String.format(java.util.Locale.ROOT, "RESULT ok=%d failed=%d timeouts=%d shed=%d auths_per_s=%.0f"
                            + " aka_per_s=%.0f aka_prime_per_s=%.0f reauth_per_s=%.0f acct_ok=%d acct_failed=%d"
                            + " acct_per_s=%.0f p50=%.2f p90=%.2f p99=%.2f p999=%.2f max=%.2f retrans=%d%n",
                    succeeded, failed(), timeouts, shed, authsPerSecond, ratesByKind[0], ratesByKind[1],
                    ratesByKind[2], accountingOk, accountingFailed, accountingPerSecond,
                    ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)),
                    ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()), retransmissions));
            return b.toString();
        }

        private static String percentiles(String what, Histogram h) {
            if (h.getTotalCount() == 0) {
                return what + ": none\n";
            }
            return String.format("%s ms: p50 %.2f p90 %.2f p99 %.2f p99.9 %.2f max %.2f (n=%d)%n", what,
                    ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)),
                    ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()), h.getTotalCount());
        }
    }
}
