package org.opentwag.api.eap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class NetworkAccessIdentifierTest {

    @Test
    void theUsernameIsKeptWholeAndTheHomeNetworkReadFromA3gppRealm() {
        // TS 23.003 19.3.2's example: IMSI 234150999999999, MCC 234, MNC 15 written as 015
        NetworkAccessIdentifier nai = NetworkAccessIdentifier.parse("0234150999999999@wlan.mnc015.mcc234.3gppnetwork.org");
        assertThat(nai.username()).isEqualTo("0234150999999999");
        assertThat(nai.realm()).isEqualTo("wlan.mnc015.mcc234.3gppnetwork.org");
        assertThat(nai.mcc()).hasValue("234");
        assertThat(nai.mnc()).hasValue("015");

        NetworkAccessIdentifier other = NetworkAccessIdentifier.parse("alice@Example.NET");
        assertThat(other.username()).isEqualTo("alice");
        assertThat(other.realm()).isEqualTo("example.net");
        assertThat(other.mcc()).isEmpty();
        assertThat(NetworkAccessIdentifier.parse("no-realm").realm()).isEmpty();
    }

    @Test
    void methodPrefixesMeanNothingHere() {
        // A permanent-looking EAP-AKA user part with too few digits is a well-formed NAI: the method judges it.
        assertThat(NetworkAccessIdentifier.parse("00010abc@x").username()).isEqualTo("00010abc");
        assertThat(NetworkAccessIdentifier.parse("0234150999999999@wlan.mnc001.mcc001.3gppnetwork.org").mcc())
                .hasValue("001");
    }

    @Test
    void malformedIdentitiesAreRefusedWithAReason() {
        assertThatThrownBy(() -> NetworkAccessIdentifier.parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> NetworkAccessIdentifier.parse(null)).hasMessageContaining("empty");
        assertThatThrownBy(() -> NetworkAccessIdentifier.parse("a@b@c")).hasMessageContaining("more than one '@'");
        assertThatThrownBy(() -> NetworkAccessIdentifier.parse("0 001@realm")).hasMessageContaining("printable");
        assertThatThrownBy(() -> NetworkAccessIdentifier.parse("@realm")).hasMessageContaining("printable");
        assertThatThrownBy(() -> NetworkAccessIdentifier.parse("0001@")).hasMessageContaining("empty realm");
        assertThatThrownBy(() -> NetworkAccessIdentifier.parse("0" + "1".repeat(253))).hasMessageContaining("253");
    }

    @Test
    void realmsThatOnlyLookLike3gppOnesNameNoPlmn() {
        for (String realm : new String[]{"mnc001.mcc001.3gppnetwork.org.evil", "xmnc001.mcc001.3gppnetwork.org",
                "wlan.mnc0001.mcc001.3gppnetwork.org", "wlan.mnc1.mcc001.3gppnetwork.org",
                "wlan.mnc001.mcc01.3gppnetwork.org", "a..mnc001.mcc001.3gppnetwork.org", ".mnc001.mcc001.3gppnetwork.org",
                "w_lan.mnc001.mcc001.3gppnetwork.org", "mnc001mcc001.3gppnetwork.org"}) {
            assertThat(NetworkAccessIdentifier.parse("p@" + realm).mcc()).as(realm).isEmpty();
        }
        assertThat(NetworkAccessIdentifier.parse("p@mnc001.mcc001.3gppnetwork.org").mcc()).hasValue("001");
        assertThat(NetworkAccessIdentifier.parse("p@a-1.b.mnc99.mcc310.3gppnetwork.org").mnc()).hasValue("99");
    }

    // ---- the grammar as regular expressions (TS 23.003 19.3, RFC 7542 printable user part): the reference the
    // hand-written parser is held to, on inputs built to hit its edges.

    private static final Pattern REALM_3GPP =
            Pattern.compile("(?:[a-z0-9-]+\\.)*?mnc(\\d{2,3})\\.mcc(\\d{3})\\.3gppnetwork\\.org");
    private static final Pattern USERNAME = Pattern.compile("[\\x21-\\x7e&&[^@]]{1,253}");

    private static String byTheGrammar(String raw) {
        int at = raw.indexOf('@');
        if (raw.isEmpty() || raw.length() > 253 || at != raw.lastIndexOf('@')) {
            return "error";
        }
        String user = at < 0 ? raw : raw.substring(0, at);
        String realm = at < 0 ? "" : raw.substring(at + 1).toLowerCase(Locale.ROOT);
        if (!USERNAME.matcher(user).matches() || (at >= 0 && realm.isEmpty())) {
            return "error";
        }
        Matcher m = REALM_3GPP.matcher(realm);
        return user + " " + realm + " " + (m.matches() ? m.group(1) + " " + m.group(2) : "- -");
    }

    private static String byTheParser(String raw) {
        try {
            NetworkAccessIdentifier n = NetworkAccessIdentifier.parse(raw);
            return n.username() + " " + n.realm() + " " + n.mnc().orElse("-") + " " + n.mcc().orElse("-");
        } catch (IllegalArgumentException e) {
            return "error";
        }
    }

    @Test
    void theParserAgreesWithTheGrammarOnGeneratedIdentities() {
        String[] userParts = {"0001010000000001", "alice", "2pseudo", "a b", "x\u00e9", "", "\t", "~!"};
        String[] pieces = {"wlan.", "mnc", "001", "01", "1", "0001", ".mcc", "310", "001", ".3gppnetwork.org", ".",
                "-", "a", "X", "_", "9", "nai.epc.", ".org", "@", " "};
        Random random = new Random(7542);
        int plmnSeen = 0;
        for (int i = 0; i < 100_000; i++) {
            StringBuilder realm = new StringBuilder();
            int n = random.nextInt(9);
            for (int k = 0; k < n; k++) {
                realm.append(pieces[random.nextInt(pieces.length)]);
            }
            if (random.nextInt(3) == 0) {
                realm.setLength(0);
                realm.append(random.nextBoolean() ? "wlan." : "").append("mnc")
                        .append(pieces[2 + random.nextInt(4)]).append(".mcc").append(pieces[7 + random.nextInt(2)])
                        .append(random.nextInt(4) == 0 ? ".3gppnetwork.or" : ".3gppnetwork.org");
            }
            String user = userParts[random.nextInt(userParts.length)];
            String raw = random.nextInt(10) == 0 ? user : user + "@" + realm;
            String expected = byTheGrammar(raw);
            assertThat(byTheParser(raw)).as(raw).isEqualTo(expected);
            if (!expected.equals("error") && !expected.endsWith("- -")) {
                plmnSeen++;
            }
        }
        assertThat(plmnSeen).as("generated identities with a 3GPP realm").isGreaterThan(2_000);
    }
}
