package org.opentwag.passpoint;

import java.util.List;

/** Profiles the tests share: an operator with a 2-digit MNC (505-57) and one with a 3-digit MNC (310-026). */
final class Profiles {

    private Profiles() {
    }

    static PasspointProfile.Builder operator() {
        return PasspointProfile.builder()
                .ssid("Operator WiFi & Co")
                .radiusAddress("10.5.198.200")
                .secret(SecretReference.parse("env:AP_SECRET"))
                .plmns("505-57", "310-026")
                .domainNames(List.of("operator.example", "wlan.mnc057.mcc505.3gppnetwork.org"))
                .roamingConsortiumOis(List.of("505057", "001bc50460"))
                .venue(new Venue(1, 8, "eng", "Operator <Public> WiFi"))
                .operatorFriendlyName("eng", "Operator WiFi Network")
                .hessid("02:00:00:00:00:01");
    }

    static TwagSettings twag505() {
        return new TwagSettings(List.of("epc.mnc057.mcc505.3gppnetwork.org"), true, true,
                List.of("s3cret-of-the-aps"));
    }
}
