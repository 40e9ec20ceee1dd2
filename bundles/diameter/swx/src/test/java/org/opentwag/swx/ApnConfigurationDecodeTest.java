package org.opentwag.swx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.opentwag.api.vectors.Non3gppUserData;
import org.opentwag.diameter.codec.DiameterMessage;

/**
 * The APN part of an SAA's Non-3GPP-User-Data (TS 29.273 8.2.3.1): the octets are written here by hand from the AVP
 * codes of the published SWx table (vectors/diameter-swx.json: Non-3GPP-User-Data 1500, Context-Identifier 1423,
 * APN-Configuration 1430, PDN-Type 1456, TWAN-Default-APN-Context-Id 1512; Service-Selection 493 from RFC 5778), not
 * with our codec's dictionary, and must decode to the typed record with the subscriber's default APN.
 */
class ApnConfigurationDecodeTest {

    private static final int TGPP = 10415;

    @Test
    void theDefaultApnIsTheApnConfigurationNamedByContextIdentifier() throws Exception {
        byte[] userData = avp("Non-3GPP-User-Data", concat(
                avp("Context-Identifier", u32(2)),
                apnConfiguration(1, "ims", 2),
                apnConfiguration(2, "internet.operator", 0)));
        Non3gppUserData d = SwxMessages.userData(saa(userData)).orElseThrow();

        assertThat(d.defaultContextId()).isEqualTo(2L);
        assertThat(d.twanDefaultContextId()).isNull();
        assertThat(d.apns()).containsExactly(
                new Non3gppUserData.ApnConfiguration(1, "ims", Non3gppUserData.PdnType.IPV4V6, null),
                new Non3gppUserData.ApnConfiguration(2, "internet.operator", Non3gppUserData.PdnType.IPV4, null));
        assertThat(d.defaultApn().map(Non3gppUserData.ApnConfiguration::serviceSelection)).contains("internet.operator");
    }

    @Test
    void aTwanDefaultApnContextIdWinsOverTheSubscribersDefault() throws Exception {
        byte[] userData = avp("Non-3GPP-User-Data", concat(
                avp("Context-Identifier", u32(1)),
                apnConfiguration(1, "ims", 1),
                apnConfiguration(7, "wlan.operator", 3),
                avp("TWAN-Default-APN-Context-Id", u32(7))));
        Non3gppUserData d = SwxMessages.userData(saa(userData)).orElseThrow();

        assertThat(d.twanDefaultContextId()).isEqualTo(7L);
        assertThat(d.defaultApn().map(Non3gppUserData.ApnConfiguration::serviceSelection)).contains("wlan.operator");
        assertThat(d.apns().get(0).pdnType()).isEqualTo(Non3gppUserData.PdnType.IPV6);
        assertThat(d.apns().get(1).pdnType()).isEqualTo(Non3gppUserData.PdnType.IPV4_OR_IPV6);
    }

    @Test
    void noDefaultWhenTheNamedContextIsMissingOrTheWildcard() throws Exception {
        Non3gppUserData missing = SwxMessages.userData(saa(avp("Non-3GPP-User-Data", concat(
                avp("Context-Identifier", u32(9)), apnConfiguration(1, "ims", 0))))).orElseThrow();
        assertThat(missing.defaultApn()).isEmpty();
        Non3gppUserData wildcard = SwxMessages.userData(saa(avp("Non-3GPP-User-Data", concat(
                avp("Context-Identifier", u32(1)), apnConfiguration(1, "*", 0))))).orElseThrow();
        assertThat(wildcard.defaultApn()).isEmpty();
        assertThat(Non3gppUserData.allowed().defaultApn()).isEmpty();
    }

    // ------------------------------------------------------------------ octets by hand (RFC 6733 4.1)

    private static byte[] apnConfiguration(long contextId, String apn, int pdnType) throws Exception {
        return avp("APN-Configuration", concat(avp("Context-Identifier", u32(contextId)),
                avp("PDN-Type", u32(pdnType)),
                ietfAvp(493, apn.getBytes(StandardCharsets.UTF_8))));
    }

    /** An SAA (command 301, SWx application 16777265) with Result-Code 2001 and the given AVP. */
    private static DiameterMessage saa(byte[] userData) {
        byte[] resultCode = ietfAvp(268, u32(2001));
        byte[] body = concat(resultCode, userData);
        ByteBuffer b = ByteBuffer.allocate(20 + body.length);
        b.putInt((1 << 24) | (20 + body.length));
        b.putInt(301); // flags 0 (an answer), command Server-Assignment
        b.putInt(16777265);
        b.putInt(1);
        b.putInt(1);
        b.put(body);
        return DiameterMessage.decode(b.array());
    }

    private static byte[] avp(String name, byte[] data) throws Exception {
        Vectors.AvpRow row = Vectors.swxAvp(name);
        assertThat(row.vendorId()).isEqualTo(TGPP);
        int flags = 0x80 | (row.flagsMust().contains("M") ? 0x40 : 0);
        ByteBuffer b = ByteBuffer.allocate(12 + padded(data.length));
        b.putInt(row.code());
        b.putInt((flags << 24) | (12 + data.length));
        b.putInt(TGPP);
        b.put(data);
        return b.array();
    }

    private static byte[] ietfAvp(int code, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(8 + padded(data.length));
        b.putInt(code);
        b.putInt((0x40 << 24) | (8 + data.length));
        b.put(data);
        return b.array();
    }

    private static int padded(int length) {
        return (length + 3) & ~3;
    }

    private static byte[] u32(long v) {
        return ByteBuffer.allocate(4).putInt((int) v).array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
