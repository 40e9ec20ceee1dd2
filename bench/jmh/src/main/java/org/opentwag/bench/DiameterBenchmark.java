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
import org.opentwag.diameter.codec.DiameterMessage;
import org.opentwag.diameter.codec.ResultCodes;
import org.opentwag.diameter.codec.SwxApplication;
import org.opentwag.diameter.codec.Vendors;

/** SWx Multimedia-Auth-Request / -Answer with one EAP-AKA vector, as the TWAG and the HSS exchange per full auth. */
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

    @Setup
    public void setUp() {
        mar = buildMar();
        marWire = mar.encode();
        maaWire = buildMaa(DiameterMessage.decode(marWire)).encode();
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

    /** Decode and read what the TWAG needs: the vector's items. */
    @Benchmark
    public byte[] maaDecodeAndRead() {
        DiameterMessage maa = DiameterMessage.decode(maaWire);
        Avp item = maa.find(SIP_AUTH_DATA_ITEM).orElseThrow();
        return item.find(SIP_AUTHENTICATE).map(Avp::octets).orElseThrow();
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
