package org.opentwag.radius.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.opentwag.api.eap.NasContext;
import org.opentwag.radius.codec.RadiusAttribute;
import org.opentwag.radius.codec.RadiusCode;
import org.opentwag.radius.codec.RadiusDictionary;
import org.opentwag.radius.codec.RadiusPacket;

class RadiusRequestTest {

    private static RadiusRequest fromAp(String phoneMac) throws Exception {
        RadiusPacket packet = RadiusPacket.of(RadiusCode.ACCESS_REQUEST, 7, List.of(
                RadiusAttribute.ofString(RadiusDictionary.USER_NAME, "0001010000000001@wlan.mnc001.mcc001.3gppnetwork.org"),
                RadiusAttribute.ofAddress(RadiusDictionary.NAS_IP_ADDRESS, InetAddress.getByName("10.7.15.72")),
                RadiusAttribute.ofString(RadiusDictionary.NAS_IDENTIFIER, "ap-lobby-1"),
                RadiusAttribute.ofString(RadiusDictionary.CALLED_STATION_ID, "64-D9-89-1D-A4-20:ONS"),
                RadiusAttribute.ofString(RadiusDictionary.CALLING_STATION_ID, phoneMac)));
        return new RadiusRequest(packet, new InetSocketAddress("10.7.15.72", 40000), "default", Instant.now());
    }

    @Test
    void theAccessPointsValuesAreOneCopyAcrossRequestsThePhonesAreAsSent() throws Exception {
        NasContext first = fromAp("AA-BB-CC-00-00-01").nasContext();
        NasContext second = fromAp("AA-BB-CC-00-00-02").nasContext();
        assertThat(first.nasIp()).isEqualTo("10.7.15.72").isSameAs(second.nasIp());
        assertThat(first.nasIdentifier()).isEqualTo("ap-lobby-1").isSameAs(second.nasIdentifier());
        assertThat(first.calledStationId()).isEqualTo("64-D9-89-1D-A4-20:ONS").isSameAs(second.calledStationId());
        assertThat(first.callingStationId()).isEqualTo("AA-BB-CC-00-00-01");
        assertThat(second.callingStationId()).isEqualTo("AA-BB-CC-00-00-02");
    }
}
