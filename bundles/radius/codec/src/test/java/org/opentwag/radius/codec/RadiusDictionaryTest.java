package org.opentwag.radius.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RadiusDictionaryTest {

    /** RFC 2865 section 5.41: 18 is "Wireless - Other", 19 "Wireless - IEEE 802.11" (APs send 19). */
    @Test
    void nasPortTypeValuesAreThoseOfRfc2865() {
        AttributeDefinition nasPortType = RadiusDictionary.standard().attribute(RadiusDictionary.NAS_PORT_TYPE)
                .orElseThrow();
        assertThat(nasPortType.valueNames()).containsEntry(18, "Wireless-Other").containsEntry(19, "Wireless-802.11")
                .containsEntry(15, "Ethernet").containsEntry(5, "Virtual").containsEntry(0, "Async");
        assertThat(RadiusDictionary.NAS_PORT_TYPE_WIRELESS_802_11).isEqualTo(19);
    }
}
