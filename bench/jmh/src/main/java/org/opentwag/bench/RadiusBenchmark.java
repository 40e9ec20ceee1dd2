package org.opentwag.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
import org.opentwag.radius.codec.EapMessages;
import org.opentwag.radius.codec.RadiusAttribute;
import org.opentwag.radius.codec.RadiusAuthenticators;
import org.opentwag.radius.codec.RadiusCode;
import org.opentwag.radius.codec.RadiusDictionary;
import org.opentwag.radius.codec.RadiusPacket;
import org.opentwag.radius.codec.RadiusRequestEncoder;
import org.opentwag.radius.codec.RadiusResponseEncoder;

/** An AP's Access-Request carrying an EAP-Response/AKA-Challenge, and the server's Access-Challenge back. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RadiusBenchmark {

    private final byte[] secret = "CHANGE-ME-opentwag-lab-secret".getBytes(StandardCharsets.US_ASCII);
    private List<RadiusAttribute> requestAttributes;
    private List<RadiusAttribute> challengeAttributes;
    private byte[] requestWire;
    private RadiusPacket request;

    @Setup
    public void setUp() throws Exception {
        byte[] eapResponse = new byte[40];
        eapResponse[0] = 2;
        eapResponse[3] = 40;
        eapResponse[4] = 23;
        requestAttributes = new ArrayList<>(List.of(
                RadiusAttribute.ofString(RadiusDictionary.USER_NAME, "0001010000000001@wlan.mnc001.mcc001.3gppnetwork.org"),
                RadiusAttribute.ofString(RadiusDictionary.CALLED_STATION_ID, "64-D9-89-1D-A4-20:OpenTWAG"),
                RadiusAttribute.ofString(RadiusDictionary.CALLING_STATION_ID, "02-00-00-00-00-01"),
                RadiusAttribute.ofInt(RadiusDictionary.NAS_PORT_TYPE, RadiusDictionary.NAS_PORT_TYPE_WIRELESS_802_11),
                RadiusAttribute.ofInt(RadiusDictionary.FRAMED_MTU, 1400),
                RadiusAttribute.of(RadiusDictionary.STATE, new byte[16])));
        requestAttributes.addAll(EapMessages.split(eapResponse));
        requestWire = RadiusRequestEncoder.encode(RadiusCode.ACCESS_REQUEST, 7, requestAttributes, secret, true);
        request = RadiusPacket.decode(requestWire);
        byte[] eapChallenge = new byte[84];
        eapChallenge[0] = 1;
        eapChallenge[3] = 84;
        eapChallenge[4] = 23;
        challengeAttributes = new ArrayList<>(EapMessages.split(eapChallenge));
        challengeAttributes.add(RadiusAttribute.of(RadiusDictionary.STATE, new byte[16]));
    }

    /**
     * Reference, measured in the same run: a bare JDK HMAC-MD5 of the same request, the way a naive server computes a
     * Message-Authenticator (getInstance, init, doFinal per packet). Compare decodeAndVerifyMessageAuthenticator to it.
     */
    @Benchmark
    public byte[] referenceJdkHmacMd5() throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacMD5");
        mac.init(new javax.crypto.spec.SecretKeySpec(secret, "HmacMD5"));
        return mac.doFinal(requestWire);
    }

    /** What the server does first with every datagram: parse it and check its Message-Authenticator. */
    @Benchmark
    public RadiusPacket decodeAndVerifyMessageAuthenticator() throws Exception {
        RadiusPacket p = RadiusPacket.decode(requestWire);
        if (RadiusAuthenticators.verifyRequestMessageAuthenticator(requestWire, secret)
                != RadiusAuthenticators.Check.VALID) {
            throw new IllegalStateException("Message-Authenticator");
        }
        return p;
    }

    @Benchmark
    public RadiusPacket decodeOnly() throws Exception {
        return RadiusPacket.decode(requestWire);
    }

    /** The AP side: random authenticator, Message-Authenticator (HMAC-MD5). */
    @Benchmark
    public byte[] encodeAccessRequest() {
        return RadiusRequestEncoder.encode(RadiusCode.ACCESS_REQUEST, 7, requestAttributes, secret, true);
    }

    /** The server's answer: Message-Authenticator, then the MD5 Response Authenticator. */
    @Benchmark
    public byte[] encodeAccessChallenge() {
        return RadiusResponseEncoder.encode(request, secret, RadiusCode.ACCESS_CHALLENGE, challengeAttributes);
    }

}
