package org.opentwag.accounting;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import org.h2.jdbcx.JdbcDataSource;
import org.opentwag.accounting.internal.AccountingService;
import org.opentwag.radius.codec.RadiusAttribute;
import org.opentwag.radius.codec.RadiusCode;
import org.opentwag.radius.codec.RadiusDictionary;
import org.opentwag.radius.codec.RadiusRequestEncoder;
import org.opentwag.radius.server.internal.AccessPointGroup;
import org.opentwag.radius.server.internal.AccessPointGroups;
import org.opentwag.radius.server.internal.RadiusCounters;
import org.opentwag.radius.server.internal.RadiusServer;
import org.opentwag.radius.server.internal.ServerSettings;
import org.opentwag.radius.server.internal.Subnet;
import org.opentwag.state.memory.InMemoryStateStore;
import org.osgi.service.jdbc.DataSourceFactory;

/**
 * The server's accounting path in one JVM, without Karaf: the RADIUS listener (UDP on loopback, its I/O thread,
 * workers, duplicate cache) and the accounting service (H2 file, group commit, CHECKPOINT SYNC before each answer,
 * after-commit lanes). Closed-loop clients (their own threads, {@code acct-client-*}) send Accounting-Requests for
 * UEs picked at random, like {@code bench/run}'s phase accounting-random, and the harness prints the rate and the
 * CPU per request of every other thread of the JVM by kind (Java threads from ThreadMXBean, the JVM's compiler and GC
 * threads from /proc/self/task), i.e. what the server would use.
 * Not a test (no assertion): a measuring tool, bounded in time.
 *
 * <p>Run by {@code bench/accounting-path} (usage there): [warmupSeconds=20] [seconds=20] [inFlight=512]
 * [ues=50000] [syncToDisk=true] [accessPoints=1].
 */
public final class AccountingPathCost {

    private static final byte[] SECRET = "accounting-path-cost-secret".getBytes(StandardCharsets.US_ASCII);
    private static final String CLIENT = "acct-client-";
    /** Access points the UEs are spread over (NAS-IP-Address 127.0.0.n): bench/run's load generator uses one. */
    private static int accessPoints = 1;

    public static void main(String[] args) throws Exception {
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int inFlight = args.length > 2 ? Integer.parseInt(args[2]) : 512;
        int ues = args.length > 3 ? Integer.parseInt(args[3]) : 50_000;
        boolean sync = args.length <= 4 || Boolean.parseBoolean(args[4]);
        accessPoints = args.length > 5 ? Integer.parseInt(args[5]) : 1;
        Path dir = Files.createTempDirectory("acct-path-cost");
        String url = "jdbc:h2:file:" + dir.resolve("accounting").toAbsolutePath() + ";WRITE_DELAY=0";

        AccountingService service = new AccountingService();
        set(service, "store", new InMemoryStateStore(1_000_000));
        set(service, "counterStore", null);
        set(service, "dataSourceFactory", h2());
        invoke(service, "activate", config(url, sync));
        AccessPointGroups groups = new AccessPointGroups();
        groups.put("bench", new AccessPointGroup("bench", List.of(Subnet.parse("127.0.0.1/32")), SECRET, false, 3799));
        ServerSettings d = ServerSettings.defaults();
        RadiusServer server = new RadiusServer(new ServerSettings("127.0.0.1", false, 0, 0, d.dedupWindow(),
                d.dedupMaxEntries(), d.maxPendingRequests(), d.workerThreads(), d.requestTimeout(), d.memoryGuardPercent()), groups,
                new RadiusCounters(), () -> null, () -> service);
        server.start();
        waitForStore(service);

        int sockets = 4;
        LongAdder answered = new LongAdder();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> clients = new ArrayList<>();
        Ue[] all = new Ue[ues];
        for (int i = 0; i < ues; i++) {
            all[i] = new Ue(i);
        }
        for (int s = 0; s < sockets; s++) {
            int perSocket = Math.min(255, inFlight / sockets);
            Thread t = new Thread(() -> client(server.acctPort(), perSocket, all, answered, running), CLIENT + s);
            t.setDaemon(true);
            clients.add(t);
            t.start();
        }
        Thread.sleep(warmup * 1000L);
        Map<String, Long> before = threadTicks();
        Map<String, Number> v0 = service.values();
        long n0 = answered.sum();
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long n1 = answered.sum();
        long t1 = System.nanoTime();
        Map<String, Long> after = threadTicks();
        Map<String, Number> v1 = service.values();
        running.set(false);
        for (Thread t : clients) {
            t.join(5_000);
        }
        long count = n1 - n0;
        double rate = count / ((t1 - t0) / 1e9);
        Map<String, Long> byKind = new TreeMap<>();
        long total = 0;
        for (Map.Entry<String, Long> e : after.entrySet()) {
            long diff = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            String kind = e.getKey().substring(e.getKey().indexOf(' ') + 1).replaceAll("\\d+", "#");
            if (kind.startsWith(CLIENT)) {
                kind = "(client, not counted)";
            } else {
                total += diff;
            }
            byKind.merge(kind, diff, Long::sum);
        }
        System.out.printf("RESULT rate=%.0f/s requests=%d server_cpu_us_per_request=%.1f sync=%s load=%s%n", rate,
                count, total / 1e3 / Math.max(1, count), sync,
                Files.readString(Path.of("/proc/loadavg")).trim());
        long batches = v1.get("accounting_batches_count").longValue() - v0.get("accounting_batches_count").longValue();
        System.out.printf("  records per group commit: %.1f%n", (v1.get("accounting_records_stored_count").longValue()
                - v0.get("accounting_records_stored_count").longValue()) / (double) Math.max(1, batches));
        byKind.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .filter(e -> e.getValue() > 0)
                .forEach(e -> System.out.printf("  %-32s %6.1f µs/request%n", e.getKey(),
                        e.getValue() / 1e3 / Math.max(1, count)));
        server.close();
        invoke(service, "deactivate");
    }

    /** One UE: its session and where in Start, Interim-Update..., Stop it is. */
    private static final class Ue {
        final int index;
        int step;
        int session;
        boolean busy;

        Ue(int index) {
            this.index = index;
        }
    }

    private static void client(int port, int inFlight, Ue[] ues, LongAdder answered, AtomicBoolean running) {
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            ch.socket().setSoTimeout(0);
            ByteBuffer in = ByteBuffer.allocate(4096);
            Ue[] pending = new Ue[256];
            for (int id = 0; id < inFlight; id++) {
                pending[id] = send(ch, id, ues);
            }
            ch.configureBlocking(false);
            java.nio.channels.Selector selector = java.nio.channels.Selector.open();
            ch.register(selector, java.nio.channels.SelectionKey.OP_READ);
            long lastAnswer = System.nanoTime();
            while (running.get()) {
                if (selector.select(200) == 0) {
                    if (System.nanoTime() - lastAnswer > 2_000_000_000L) { // lost: send those ids again afresh
                        for (int id = 0; id < inFlight; id++) {
                            synchronized (pending[id]) {
                                pending[id].busy = false;
                            }
                            pending[id] = send(ch, id, ues);
                        }
                        lastAnswer = System.nanoTime();
                    }
                    continue;
                }
                selector.selectedKeys().clear();
                while (true) {
                    in.clear();
                    if (ch.receive(in) == null) {
                        break;
                    }
                    lastAnswer = System.nanoTime();
                    int id = in.get(1) & 0xff;
                    if (in.get(0) != RadiusCode.ACCOUNTING_RESPONSE || pending[id] == null) {
                        continue;
                    }
                    Ue done = pending[id];
                    synchronized (done) {
                        done.step = done.step >= 5 ? 0 : done.step + 1;
                        if (done.step == 0) {
                            done.session++;
                        }
                        done.busy = false;
                    }
                    answered.increment();
                    pending[id] = send(ch, id, ues);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Ue send(DatagramChannel ch, int id, Ue[] ues) throws IOException {
        Ue ue;
        while (true) { // a UE with no request in flight, at random
            ue = ues[ThreadLocalRandom.current().nextInt(ues.length)];
            synchronized (ue) {
                if (!ue.busy) {
                    ue.busy = true;
                    break;
                }
            }
        }
        int step = ue.step;
        int status = step == 0 ? RadiusDictionary.ACCT_STATUS_START : step == 5 ? RadiusDictionary.ACCT_STATUS_STOP
                : RadiusDictionary.ACCT_STATUS_INTERIM_UPDATE;
        String imsi = String.format("001010%09d", ue.index);
        List<RadiusAttribute> attrs = new ArrayList<>(12);
        attrs.add(RadiusAttribute.ofInt(RadiusDictionary.ACCT_STATUS_TYPE, status));
        attrs.add(RadiusAttribute.ofString(RadiusDictionary.ACCT_SESSION_ID, imsi + "-" + ue.session));
        attrs.add(RadiusAttribute.ofString(RadiusDictionary.USER_NAME, "0" + imsi + "@wlan.mnc001.mcc001.3gppnetwork.org"));
        attrs.add(RadiusAttribute.ofAddress(RadiusDictionary.NAS_IP_ADDRESS,
                InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (1 + ue.index % accessPoints)})));
        attrs.add(RadiusAttribute.ofString(RadiusDictionary.CALLED_STATION_ID, "64-D9-89-1D-A4-20:OpenTWAG"));
        attrs.add(RadiusAttribute.ofString(RadiusDictionary.CALLING_STATION_ID,
                String.format("02-00-%02X-%02X-%02X-%02X", ue.index >> 24 & 0xff, ue.index >> 16 & 0xff,
                        ue.index >> 8 & 0xff, ue.index & 0xff)));
        attrs.add(RadiusAttribute.ofInt(RadiusDictionary.NAS_PORT_TYPE, RadiusDictionary.NAS_PORT_TYPE_WIRELESS_802_11));
        if (status != RadiusDictionary.ACCT_STATUS_START) {
            attrs.add(RadiusAttribute.ofInt(RadiusDictionary.ACCT_INPUT_OCTETS, 100_000L * step));
            attrs.add(RadiusAttribute.ofInt(RadiusDictionary.ACCT_OUTPUT_OCTETS, 1_000_000L * step));
            attrs.add(RadiusAttribute.ofInt(RadiusDictionary.ACCT_SESSION_TIME, 60L * step));
        }
        if (status == RadiusDictionary.ACCT_STATUS_STOP) {
            attrs.add(RadiusAttribute.ofInt(RadiusDictionary.ACCT_TERMINATE_CAUSE, 1));
        }
        ch.write(ByteBuffer.wrap(RadiusRequestEncoder.encode(RadiusCode.ACCOUNTING_REQUEST, id, attrs, SECRET, false)));
        return ue;
    }

    /**
     * CPU nanoseconds of every thread of this JVM, keyed "id name": Java threads by their full names (ThreadMXBean),
     * the JVM's own (compiler, GC) from /proc/self/task, whose names the kernel cuts at 15 characters.
     */
    private static Map<String, Long> threadTicks() throws IOException {
        Map<String, Long> nanos = new TreeMap<>();
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        for (long id : mx.getAllThreadIds()) {
            java.lang.management.ThreadInfo info = mx.getThreadInfo(id);
            long cpu = mx.getThreadCpuTime(id);
            if (info != null && cpu >= 0) {
                nanos.put("j" + id + " " + info.getThreadName(), cpu);
            }
        }
        long tick = 1_000_000_000L / 100; // USER_HZ
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (!name.matches("C\\d CompilerThre|GC Thread.*|G1 .*|VM .*")) {
                        continue; // a Java thread, counted above
                    }
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    nanos.put(task.getFileName() + " " + name, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * tick);
                } catch (IOException gone) {
                    // the thread ended meanwhile
                }
            }
        }
        return nanos;
    }

    private static void waitForStore(AccountingService service) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                service.history("10.0.0.1", "none");
                return;
            } catch (IllegalStateException opening) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("accounting store not open within 60 s");
    }

    private static DataSourceFactory h2() {
        return (DataSourceFactory) Proxy.newProxyInstance(DataSourceFactory.class.getClassLoader(),
                new Class<?>[] {DataSourceFactory.class}, (proxy, method, a) -> {
                    JdbcDataSource ds = new JdbcDataSource();
                    ds.setURL(((java.util.Properties) a[0]).getProperty(DataSourceFactory.JDBC_URL));
                    return ds;
                });
    }

    private static void set(Object target, String field, Object value) throws ReflectiveOperationException {
        Field f = AccountingService.class.getDeclaredField(field);
        f.setAccessible(true);
        f.set(target, value);
    }

    private static void invoke(Object target, String method, Object... args) throws ReflectiveOperationException {
        for (var m : AccountingService.class.getDeclaredMethods()) {
            if (m.getName().equals(method) && m.getParameterCount() == args.length) {
                m.setAccessible(true);
                m.invoke(target, args);
                return;
            }
        }
        throw new NoSuchMethodException(method);
    }

    private static AccountingService.Config config(String url, boolean sync) {
        return (AccountingService.Config) Proxy.newProxyInstance(AccountingService.Config.class.getClassLoader(),
                new Class<?>[] {AccountingService.Config.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "url" -> url;
                    case "syncToDisk" -> sync;
                    default -> method.getDefaultValue();
                });
    }
}
