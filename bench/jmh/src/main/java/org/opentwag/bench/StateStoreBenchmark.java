package org.opentwag.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.opentwag.api.charging.ChargedSession;
import org.opentwag.api.charging.ChargingSession;
import org.opentwag.api.charging.Usage;
import org.opentwag.api.state.AuthorizedSession;
import org.opentwag.api.state.ClientState;
import org.opentwag.state.memory.InMemoryStateStore;

/**
 * The long-lived state-store entries one full EAP-AKA login with online charging leaves (client row, its IMSI index,
 * authorization, token index, charged session with the Gy backend's state, pending index, Gy session index,
 * pseudonym, re-authentication context, issued identities): one op puts each and reads it back, for 10,000
 * subscribers in turn, so every put replaces the entry of the login before as it does in steady state. Allocation
 * per op ({@code -prof gc}, {@code gc.alloc.rate.norm}) is the figure that holds on a shared machine.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StateStoreBenchmark {

    private static final int SUBSCRIBERS = 10_000;
    private static final Duration DAY = Duration.ofDays(1);

    private InMemoryStateStore store;
    private String[] imsis;
    private String[] identities;
    private String[] tokens;
    private String[] phones;
    private String[] pseudonyms;
    private String[] reauthIds;
    private String[] gySessions;
    private ClientState client;
    private AuthorizedSession authorization;
    private ChargedSession charged;
    private byte[] reauthContext;
    private int next;

    @Setup
    public void setUp() {
        store = new InMemoryStateStore(1_000_000);
        imsis = new String[SUBSCRIBERS];
        identities = new String[SUBSCRIBERS];
        tokens = new String[SUBSCRIBERS];
        phones = new String[SUBSCRIBERS];
        pseudonyms = new String[SUBSCRIBERS];
        reauthIds = new String[SUBSCRIBERS];
        gySessions = new String[SUBSCRIBERS];
        for (int i = 0; i < SUBSCRIBERS; i++) {
            imsis[i] = String.format("0010101%08d", i);
            identities[i] = String.format("2ps%020x@wlan.mnc001.mcc001.3gppnetwork.org", i * 7919L);
            tokens[i] = String.format("%024x", i * 104729L);
            phones[i] = AuthorizedSession.phoneKey(imsis[i], "02-00-00-00-00-01", "10.0.0.1");
            pseudonyms[i] = String.format("2ps%020x", i * 6007L);
            reauthIds[i] = String.format("4re%020x@wlan.mnc001.mcc001.3gppnetwork.org", i * 4001L);
            gySessions[i] = "twag.example.org;1733500000;" + i;
        }
        String imsi = imsis[0];
        long now = System.currentTimeMillis();
        client = new ClientState(identities[0], imsi, ClientState.Status.ACCEPTED, "EAP-AKA", "10.0.0.1",
                "02-00-00-00-00-00:OpenTWAG", "02-00-00-00-00-01", now, now, now, null, null, null, null);
        authorization = new AuthorizedSession(tokens[0], imsi, identities[0], "EAP-AKA", "10.0.0.1",
                "02-00-00-00-00-00:OpenTWAG", "02-00-00-00-00-01", now);
        Map<String, String> gy = new HashMap<>();
        gy.put("gy.session-id", gySessions[0]);
        gy.put("gy.request-number", "0");
        gy.put("gy.failure-handling", "TERMINATE");
        gy.put("gy.ocs-host", "ocs.example.org");
        gy.put("gy.ocs-realm", "example.org");
        gy.put("gy.granted-octets", "10000000");
        gy.put("gy.final-unit", "false");
        gy.put("gy.valid-until-millis", "0");
        charged = new ChargedSession(new ChargingSession(tokens[0], imsi, "10.0.0.1", "02-00-00-00-00-00:OpenTWAG",
                "02-00-00-00-00-01", "online", gy), null, null, now, now, 10_000_000, Usage.NONE, 0, false);
        reauthContext = new byte[1 + 1 + 4 + 4 + 15 + 16 + 16 + 32];
    }

    @Benchmark
    public void loginPutGet(Blackhole bh) {
        int i = next;
        next = (i + 1) % SUBSCRIBERS;
        String imsi = imsis[i];
        String token = tokens[i];
        store.put("clients", identities[i], client, DAY);
        store.put("clients.by-imsi", imsi, identities[i], DAY);
        store.put("authorized-sessions", token, authorization, DAY);
        store.put("authorized-sessions.by-phone", phones[i], token, DAY);
        store.put(ChargedSession.MAP, token, charged, DAY);
        store.put("charging-pending", phones[i], token, DAY);
        store.put("gy-sessions", gySessions[i], token, DAY);
        store.put("aka.pseudonym", pseudonyms[i], imsi, DAY);
        store.put("aka.reauth", reauthIds[i], reauthContext, DAY);
        store.put("aka.issued", imsi + "|23", pseudonyms[i] + '\n' + reauthIds[i], DAY);
        bh.consume(store.get("clients", identities[i], ClientState.class));
        bh.consume(store.get("clients.by-imsi", imsi, String.class));
        bh.consume(store.get("authorized-sessions", token, AuthorizedSession.class));
        bh.consume(store.get("authorized-sessions.by-phone", phones[i], String.class));
        bh.consume(store.get(ChargedSession.MAP, token, ChargedSession.class));
        bh.consume(store.get("charging-pending", phones[i], String.class));
        bh.consume(store.get("gy-sessions", gySessions[i], String.class));
        bh.consume(store.get("aka.pseudonym", pseudonyms[i], String.class));
        bh.consume(store.get("aka.reauth", reauthIds[i], byte[].class));
        bh.consume(store.get("aka.issued", imsi + "|23", String.class));
    }
}
