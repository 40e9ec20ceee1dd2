package org.opentwag.loadgen;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What to run: the server, the subscribers, the pace (a fixed rate, or a fixed number in flight), the bounds (every
 * run ends by count or time, whichever first), the mix of methods, and accounting. Parsed from command-line words
 * ({@code --name value}) so the jar and the shell command share one syntax.
 */
public final class LoadOptions {

    /** Auth: EAP conversations (with optional accounting per session). Accounting: Accounting-Requests only. */
    public enum Mode { AUTH, ACCOUNTING }

    public String host = "127.0.0.1";
    public int authPort = 1812;
    public int acctPort = 1813;
    public String secret = "CHANGE-ME-opentwag-lab-secret";
    public String imsiStart = "001010000000001";
    public int subscribers = 1000;
    public String seed = "opentwag-loadgen";
    /** The SQN the simulated USIMs start from; the subscriber file is written with it. */
    public long sqn = 0;
    public Mode mode = Mode.AUTH;
    /**
     * In accounting mode, whose record comes next: the UEs in turn (IMSIs and session ids arrive sorted, which keeps
     * every database index cheap) or at random (as Interim-Updates from a real network arrive).
     */
    public boolean acctRandomOrder = false;
    /** Starts per second; 0 = keep {@link #concurrency} in flight. */
    public int rate = 0;
    /** Most conversations (or accounting requests) in flight. */
    public int concurrency = 64;
    /** Stop starting after this many (0 = no count bound). */
    public long count = 0;
    /** Stop starting after this many seconds (0 = no time bound; with count 0 a default of 60 s applies). */
    public int durationSeconds = 0;
    /** Seconds of the same load before the measured part, not counted (0 = none). */
    public int warmupSeconds = 0;
    /** Weights of full EAP-AKA, full EAP-AKA', and fast re-authentication (with whichever method the UE used last). */
    public int mixAka = 1;
    public int mixAkaPrime = 0;
    public int mixReauth = 0;
    /** Per authenticated session: Accounting Start, {@link #interims} Interim-Updates, then Stop (unless hold). */
    public boolean accounting = false;
    public int interims = 0;
    /** Put before every Acct-Session-Id (several generators against one database keep their sessions apart). */
    public String acctSessionPrefix = "";
    /** Leave sessions open (Start, no Stop): the server keeps them, for memory measurements. */
    public boolean hold = false;
    public boolean pseudonyms = false;
    public long timeoutMillis = 1000;
    public int attempts = 3;
    /** UDP sockets (each one AP with 256 identifiers); 0 = enough for the concurrency. */
    public int sockets = 0;
    /** Access points the UEs are spread over (UE i behind NAS-IP-Address 127.0.0.(1 + i mod N)). */
    public int accessPoints = 1;
    public int threads = 2;
    public boolean progress = true;
    /** Write etc/hss-subscribers.csv and etc/ocs-balances.csv here (then run, unless {@link #runAfterWrite} false). */
    public String writeDir = null;
    public boolean runAfterWrite = true;
    public long balanceOctets = 1L << 40;

    public SubscriberRange range() {
        return new SubscriberRange(imsiStart, subscribers, seed);
    }

    public int socketsNeeded() {
        return sockets > 0 ? sockets : Math.max(2, (concurrency * 2 + 255) / 256 + 1);
    }

    /** Checks the bounds and pace; throws IllegalArgumentException naming the wrong option. */
    public LoadOptions validate() {
        range();
        if (count < 0 || durationSeconds < 0 || warmupSeconds < 0 || warmupSeconds > 3600) {
            throw new IllegalArgumentException("--count, --duration and --warmup must not be negative (warm-up at most 1 h)");
        }
        if (count == 0 && durationSeconds == 0) {
            durationSeconds = 60; // never unbounded
        }
        if (durationSeconds > 24 * 3600) {
            throw new IllegalArgumentException("--duration above one day");
        }
        if (rate < 0 || concurrency < 1) {
            throw new IllegalArgumentException("--rate must be >= 0 and --concurrency >= 1");
        }
        if (mode == Mode.AUTH && concurrency > subscribers) {
            throw new IllegalArgumentException("--concurrency " + concurrency + " above --subscribers " + subscribers
                    + ": one conversation per UE at a time");
        }
        if (mixAka < 0 || mixAkaPrime < 0 || mixReauth < 0 || mixAka + mixAkaPrime + mixReauth == 0) {
            throw new IllegalArgumentException("--mix needs a positive weight");
        }
        if (attempts < 1 || timeoutMillis < 1) {
            throw new IllegalArgumentException("--attempts and --timeout-ms must be positive");
        }
        if (accessPoints < 1 || accessPoints > 254) {
            throw new IllegalArgumentException("--access-points between 1 and 254");
        }
        if (threads < 1 || threads > 64) {
            throw new IllegalArgumentException("--threads between 1 and 64");
        }
        return this;
    }

    public static LoadOptions parse(String... args) {
        LoadOptions o = new LoadOptions();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + a);
            }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (FLAGS.contains(name)) {
                o.flag(name, value == null || Boolean.parseBoolean(value));
                continue;
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--" + name + " needs a value");
                }
                value = args[++i];
            }
            o.set(name, value);
        }
        return o;
    }

    private static final List<String> FLAGS = List.of("accounting", "hold", "pseudonyms", "no-progress", "write-only",
            "help");

    private void flag(String name, boolean on) {
        switch (name) {
            case "accounting" -> accounting = on;
            case "hold" -> hold = on;
            case "pseudonyms" -> pseudonyms = on;
            case "no-progress" -> progress = !on;
            case "write-only" -> runAfterWrite = !on;
            case "help" -> throw new IllegalArgumentException(usage());
            default -> throw new IllegalArgumentException("unknown option --" + name);
        }
    }

    private void set(String name, String v) {
        try {
            switch (name) {
                case "server" -> {
                    int colon = v.lastIndexOf(':');
                    host = colon < 0 ? v : v.substring(0, colon);
                    if (colon >= 0) {
                        authPort = Integer.parseInt(v.substring(colon + 1));
                        acctPort = authPort + 1;
                    }
                }
                case "auth-port" -> authPort = Integer.parseInt(v);
                case "acct-port" -> acctPort = Integer.parseInt(v);
                case "secret" -> secret = v;
                case "imsi-start" -> imsiStart = v;
                case "subscribers" -> subscribers = Integer.parseInt(v);
                case "seed" -> seed = v;
                case "sqn" -> sqn = Long.parseLong(v);
                case "mode" -> mode = switch (v.toLowerCase()) {
                    case "auth" -> Mode.AUTH;
                    case "acct", "accounting" -> Mode.ACCOUNTING;
                    default -> throw new IllegalArgumentException("--mode auth or acct, not " + v);
                };
                case "acct-order" -> acctRandomOrder = switch (v.toLowerCase()) {
                    case "sequential" -> false;
                    case "random" -> true;
                    default -> throw new IllegalArgumentException("--acct-order sequential or random, not " + v);
                };
                case "rate" -> rate = Integer.parseInt(v);
                case "concurrency" -> concurrency = Integer.parseInt(v);
                case "count" -> count = Long.parseLong(v);
                case "duration" -> durationSeconds = Integer.parseInt(v);
                case "warmup" -> warmupSeconds = Integer.parseInt(v);
                case "mix" -> mix(v);
                case "interims" -> interims = Integer.parseInt(v);
                case "acct-session-prefix" -> acctSessionPrefix = v;
                case "timeout-ms" -> timeoutMillis = Long.parseLong(v);
                case "attempts" -> attempts = Integer.parseInt(v);
                case "sockets" -> sockets = Integer.parseInt(v);
                case "access-points" -> accessPoints = Integer.parseInt(v);
                case "threads" -> threads = Integer.parseInt(v);
                case "write-csv" -> writeDir = v;
                case "balance" -> balanceOctets = Long.parseLong(v);
                default -> throw new IllegalArgumentException("unknown option --" + name + "\n" + usage());
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + ": not a number: " + v);
        }
    }

    /** "aka=60,aka-prime=20,reauth=20". */
    public void mix(String v) {
        Map<String, Integer> w = new LinkedHashMap<>();
        for (String part : v.split(",")) {
            String[] kv = part.trim().split("[=:]");
            if (kv.length != 2) {
                throw new IllegalArgumentException("--mix: expected method=weight, got " + part);
            }
            w.put(kv[0].toLowerCase(), Integer.parseInt(kv[1]));
        }
        List<String> unknown = new ArrayList<>(w.keySet());
        unknown.removeAll(List.of("aka", "aka-prime", "akaprime", "aka'", "reauth"));
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("--mix: unknown methods " + unknown + " (aka, aka-prime, reauth)");
        }
        mixAka = w.getOrDefault("aka", 0);
        mixAkaPrime = w.getOrDefault("aka-prime", w.getOrDefault("akaprime", w.getOrDefault("aka'", 0)));
        mixReauth = w.getOrDefault("reauth", 0);
    }

    public static String usage() {
        return """
                OpenTWAG load generator: simulated UEs (Milenage USIM, EAP-AKA/AKA' peer) behind simulated APs (RADIUS).
                  --server HOST[:AUTHPORT]   RADIUS server (127.0.0.1:1812); --auth-port N, --acct-port N (1813)
                  --secret S                 shared secret
                  --imsi-start IMSI          first IMSI (001010000000001); --subscribers N (1000); --seed S (keys)
                  --sqn N                    SQN the USIMs start from (0), as written in the subscriber file
                  --write-csv DIR            write DIR/hss-subscribers.csv and DIR/ocs-balances.csv; --write-only to stop there
                  --mode auth|acct           EAP authentications (default) or Accounting-Requests only
                  --acct-order sequential|random   acct mode: UEs in turn (default) or at random
                  --rate N                   starts per second (0 = closed loop with --concurrency in flight)
                  --concurrency N            most in flight (64)
                  --count N / --duration S   bounds: stop after N starts or S seconds (default 60 s)
                  --warmup S                 run the same load S seconds first, not counted
                  --mix aka=W,aka-prime=W,reauth=W   method weights (aka=1)
                  --accounting [--interims N] [--hold]   Start/Interim/Stop per session; --hold leaves sessions open
                  --acct-session-prefix P                Acct-Session-Id = P + UE index + session number
                  --access-points N          UEs spread over N APs: NAS-IP-Address 127.0.0.1 .. 127.0.0.N (1)
                  --pseudonyms               use pseudonyms the server hands out
                  --timeout-ms N (1000) --attempts N (3)   retransmission
                  --sockets N --threads N (2) --no-progress
                """;
    }
}
