package org.opentwag.bench;

import static org.opentwag.diameter.codec.BaseProtocol.AUTH_APPLICATION_ID;
import static org.opentwag.diameter.codec.BaseProtocol.AUTH_SESSION_STATE;
import static org.opentwag.diameter.codec.BaseProtocol.DESTINATION_REALM;
import static org.opentwag.diameter.codec.BaseProtocol.ORIGIN_HOST;
import static org.opentwag.diameter.codec.BaseProtocol.ORIGIN_REALM;
import static org.opentwag.diameter.codec.BaseProtocol.SESSION_ID;
import static org.opentwag.diameter.codec.BaseProtocol.USER_NAME;
import static org.opentwag.diameter.codec.BaseProtocol.VENDOR_ID;
import static org.opentwag.diameter.codec.BaseProtocol.VENDOR_SPECIFIC_APPLICATION_ID;
import static org.opentwag.diameter.codec.SwxApplication.ANID;
import static org.opentwag.diameter.codec.SwxApplication.CONFIDENTIALITY_KEY;
import static org.opentwag.diameter.codec.SwxApplication.INTEGRITY_KEY;
import static org.opentwag.diameter.codec.SwxApplication.RAT_TYPE;
import static org.opentwag.diameter.codec.SwxApplication.SIP_AUTHENTICATE;
import static org.opentwag.diameter.codec.SwxApplication.SIP_AUTHENTICATION_SCHEME;
import static org.opentwag.diameter.codec.SwxApplication.SIP_AUTHORIZATION;
import static org.opentwag.diameter.codec.SwxApplication.SIP_AUTH_DATA_ITEM;
import static org.opentwag.diameter.codec.SwxApplication.SIP_ITEM_NUMBER;
import static org.opentwag.diameter.codec.SwxApplication.SIP_NUMBER_AUTH_ITEMS;

import java.time.Instant;
import java.util.List;
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
import org.opentwag.diameter.codec.Avp;
import org.opentwag.diameter.codec.BaseProtocol;
import org.opentwag.diameter.codec.CreditControlAnswer;
import org.opentwag.diameter.codec.CreditControlApplication;
import org.opentwag.diameter.codec.CreditControlRequest;
import org.opentwag.diameter.codec.DiameterMessage;
import org.opentwag.diameter.codec.ResultCodes;
import org.opentwag.diameter.codec.ServiceCredit;
import org.opentwag.diameter.codec.ServiceUnits;
import org.opentwag.diameter.codec.SwxApplication;
import org.opentwag.diameter.codec.Vendors;

/**
 * SWx Multimedia-Auth-Request / -Answer with one EAP-AKA vector, as the TWAG and the HSS exchange per full auth, and
 * the Gy CCR-I / CCA of an online-charged login. Run with {@code -prof gc}: {@code gc.alloc.rate.norm} (bytes per
 * operation) is deterministic, unlike the times on a shared machine.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DiameterBenchmark {

    private DiameterMessage mar;
    private byte[] marWire;
    private byte[] maaWire;
    private byte[] ccrWire;
    private byte[] ccaWire;

    @Setup
    public void setUp() {
        mar = buildMar();
        marWire = mar.encode();
        maaWire = buildMaa(DiameterMessage.decode(marWire)).encode();
        ccrWire = buildCcr().toMessage().encode();
        ccaWire = CreditControlAnswer.answer(DiameterMessage.decode(ccrWire), ResultCodes.DIAMETER_SUCCESS,
                List.of(ServiceCredit.grant(1, ServiceCredit.ABSENT, ServiceUnits.total(10_000_000), 3600,
                        ResultCodes.DIAMETER_SUCCESS, ServiceCredit.ABSENT)), ServiceCredit.ABSENT)
                .toBuilder().add(Avp.identity(ORIGIN_HOST, "ocs.localdomain")).add(Avp.identity(ORIGIN_REALM, "localdomain"))
                .build().encode();
    }

    @Benchmark
    public byte[] marEncode() {
        return buildMar().encode();
    }

    @Benchmark
    public DiameterMessage marDecode() {
        return DiameterMessage.decode(marWire);
    }

    @Benchmark
    public byte[] maaEncode() {
        return buildMaa(mar).encode();
    }

    /** Decode and read what the TWAG reads of a MAA (SwxMessages.vectors): outcome, the item's members. */
    @Benchmark
    public byte[][] maaDecodeAndRead() {
        DiameterMessage maa = DiameterMessage.decode(maaWire);
        if (maa.outcome().orElse(0) != ResultCodes.DIAMETER_SUCCESS || maa.sessionId().isEmpty()) {
            throw new IllegalStateException();
        }
        Avp item = maa.findAll(SIP_AUTH_DATA_ITEM).get(0);
        item.find(SIP_ITEM_NUMBER).map(Avp::unsigned32).orElse(0L);
        item.find(SIP_AUTHENTICATION_SCHEME).map(Avp::utf8).orElseThrow();
        return new byte[][]{item.find(SIP_AUTHENTICATE).map(Avp::octets).orElseThrow(),
                item.find(SIP_AUTHORIZATION).map(Avp::octets).orElseThrow(),
                item.find(CONFIDENTIALITY_KEY).map(Avp::octets).orElseThrow(),
                item.find(INTEGRITY_KEY).map(Avp::octets).orElseThrow()};
    }

    /** The CCR-I of a charged login as the Gy backend builds it, encoded. */
    @Benchmark
    public byte[] ccrEncode() {
        return buildCcr().toMessage().encode();
    }

    /** Decode and read a CCR-I as the OCS does. */
    @Benchmark
    public CreditControlRequest ccrDecodeAndRead() {
        return CreditControlRequest.from(DiameterMessage.decode(ccrWire));
    }

    /** Decode and read a CCA-I as the Gy backend does. */
    @Benchmark
    public CreditControlAnswer ccaDecodeAndRead() {
        return CreditControlAnswer.from(DiameterMessage.decode(ccaWire));
    }

    private static CreditControlRequest buildCcr() {
        return new CreditControlRequest("twag.localdomain;1234567890;43", "localdomain", null,
                "32251@3gpp.org", CreditControlApplication.CcRequestType.INITIAL_REQUEST, 0, "001010000000001",
                Instant.ofEpochSecond(1_800_000_000L), ServiceCredit.ABSENT,
                List.of(ServiceCredit.request(1, ServiceCredit.ABSENT, ServiceUnits.EMPTY, null, ServiceCredit.ABSENT)));
    }

    private static DiameterMessage buildMar() {
        return DiameterMessage.request(SwxApplication.APPLICATION_ID, SwxApplication.MULTIMEDIA_AUTH)
                .add(Avp.utf8(SESSION_ID, "twag.localdomain;1234567890;42"))
                .add(Avp.grouped(VENDOR_SPECIFIC_APPLICATION_ID, Avp.unsigned32(VENDOR_ID, Vendors.THREE_GPP),
                        Avp.unsigned32(AUTH_APPLICATION_ID, SwxApplication.APPLICATION_ID)))
                .add(Avp.enumerated(AUTH_SESSION_STATE, BaseProtocol.AuthSessionState.NO_STATE_MAINTAINED))
                .add(Avp.identity(ORIGIN_HOST, "twag.localdomain"))
                .add(Avp.identity(ORIGIN_REALM, "localdomain"))
                .add(Avp.identity(DESTINATION_REALM, "epc.mnc001.mcc001.3gppnetwork.org"))
                .add(Avp.utf8(USER_NAME, "001010000000001"))
                .add(Avp.grouped(SIP_AUTH_DATA_ITEM, Avp.utf8(SIP_AUTHENTICATION_SCHEME, SwxApplication.SCHEME_EAP_AKA)))
                .add(Avp.unsigned32(SIP_NUMBER_AUTH_ITEMS, 1))
                .add(Avp.enumerated(RAT_TYPE, SwxApplication.RatType.WLAN))
                .add(Avp.utf8(ANID, SwxApplication.ANID_WLAN))
                .build();
    }

    private static DiameterMessage buildMaa(DiameterMessage request) {
        return DiameterMessage.answerTo(request).resultCode(ResultCodes.DIAMETER_SUCCESS)
                .add(Avp.identity(ORIGIN_HOST, "hss.epc.mnc001.mcc001.3gppnetwork.org"))
                .add(Avp.identity(ORIGIN_REALM, "epc.mnc001.mcc001.3gppnetwork.org"))
                .add(Avp.grouped(SIP_AUTH_DATA_ITEM, Avp.unsigned32(SIP_ITEM_NUMBER, 1),
                        Avp.utf8(SIP_AUTHENTICATION_SCHEME, SwxApplication.SCHEME_EAP_AKA),
                        Avp.octets(SIP_AUTHENTICATE, new byte[32]), Avp.octets(SIP_AUTHORIZATION, new byte[8]),
                        Avp.octets(CONFIDENTIALITY_KEY, new byte[16]), Avp.octets(INTEGRITY_KEY, new byte[16])))
                .build();
    }
}
