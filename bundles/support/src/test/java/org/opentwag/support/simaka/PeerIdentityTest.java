package org.opentwag.support.simaka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class PeerIdentityTest {

    @Test
    void permanentIdentitiesOfTs23003CarryTheImsiAndThePlmnOfTheRealm() {
        PeerIdentity aka = PeerIdentity.parse("0234150999999999@wlan.mnc015.mcc234.3gppnetwork.org");
        assertThat(aka.kind()).isEqualTo(PeerIdentity.Kind.PERMANENT);
        assertThat(aka.imsi()).hasValue("234150999999999");
        assertThat(aka.mnc()).hasValue("015");
        assertThat(aka.mcc()).hasValue("234");
        assertThat(aka.prefersAka()).isTrue();

        PeerIdentity prime = PeerIdentity.parse("6001010000000001@WLAN.mnc01.mcc001.3gppnetwork.org");
        assertThat(prime.prefersAkaPrime()).isTrue();
        assertThat(prime.realm()).isEqualTo("wlan.mnc01.mcc001.3gppnetwork.org");
        assertThat(prime.mnc()).hasValue("01");
    }

    @Test
    void temporaryAndForeignIdentities() {
        assertThat(PeerIdentity.parse("2Xy9-pseudonym@wlan.mnc001.mcc001.3gppnetwork.org").kind())
                .isEqualTo(PeerIdentity.Kind.PSEUDONYM);
        assertThat(PeerIdentity.parse("8reauth@example.net").kind()).isEqualTo(PeerIdentity.Kind.FAST_REAUTH);
        PeerIdentity other = PeerIdentity.parse("alice@example.net");
        assertThat(other.kind()).isEqualTo(PeerIdentity.Kind.UNKNOWN);
        assertThat(other.mcc()).isEmpty();
        // a multi-IMSI handset: one digit of its own, then 15 digits of IMSI
        assertThat(PeerIdentity.parse("9001010000000001@wlan.mnc001.mcc001.3gppnetwork.org").kind())
                .isEqualTo(PeerIdentity.Kind.PERMANENT);
    }

    @Test
    void malformedIdentitiesAreRefusedWithAReason() {
        assertThatThrownBy(() -> PeerIdentity.parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> PeerIdentity.parse("0a@b@c")).hasMessageContaining("more than one '@'");
        assertThatThrownBy(() -> PeerIdentity.parse("0 001@realm")).hasMessageContaining("printable");
        assertThatThrownBy(() -> PeerIdentity.parse("@realm")).hasMessageContaining("printable");
        assertThatThrownBy(() -> PeerIdentity.parse("0001@")).hasMessageContaining("empty realm");
        assertThatThrownBy(() -> PeerIdentity.parse("00010abc@x")).hasMessageContaining("IMSI of 6 to 15 digits");
        assertThatThrownBy(() -> PeerIdentity.parse("0234150999999999@wlan.mnc001.mcc001.3gppnetwork.org"))
                .hasMessageContaining("MCC 001");
        assertThatThrownBy(() -> PeerIdentity.parse("0" + "1".repeat(253))).hasMessageContaining("253");
    }

    @Test
    void realmsThatOnlyLookLike3gppOnesNameNoPlmn() {
        for (String realm : new String[]{"mnc001.mcc001.3gppnetwork.org.evil", "xmnc001.mcc001.3gppnetwork.org",
                "wlan.mnc0001.mcc001.3gppnetwork.org", "wlan.mnc1.mcc001.3gppnetwork.org",
                "wlan.mnc001.mcc01.3gppnetwork.org", "a..mnc001.mcc001.3gppnetwork.org", ".mnc001.mcc001.3gppnetwork.org",
                "w_lan.mnc001.mcc001.3gppnetwork.org", "mnc001mcc001.3gppnetwork.org"}) {
            assertThat(PeerIdentity.parse("2p@" + realm).mcc()).as(realm).isEmpty();
        }
        assertThat(PeerIdentity.parse("2p@mnc001.mcc001.3gppnetwork.org").mcc()).hasValue("001");
        assertThat(PeerIdentity.parse("2p@a-1.b.mnc99.mcc310.3gppnetwork.org").mnc()).hasValue("99");
    }

    // ---- the grammar as regular expressions (TS 23.003 19.3, RFC 4282 printable user part): the reference the
    // hand-written parser is held to, on inputs built to hit its edges.

    private static final Pattern REALM_3GPP =
            Pattern.compile("(?:[a-z0-9-]+\\.)*?mnc(\\d{2,3})\\.mcc(\\d{3})\\.3gppnetwork\\.org");
    private static final Pattern USERNAME = Pattern.compile("[\\x21-\\x7e&&[^@]]{1,253}");
    private static final Pattern IMSI = Pattern.compile("\\d{6,15}");
    private static final Pattern MULTI_IMSI = Pattern.compile("\\d{16}");

    /** What the grammar makes of an identity: kind, MNC, MCC, or the error. */
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
        Optional<String> mnc = Optional.empty();
        Optional<String> mcc = Optional.empty();
        Matcher m = REALM_3GPP.matcher(realm);
        if (m.matches()) {
            mnc = Optional.of(m.group(1));
            mcc = Optional.of(m.group(2));
        }
        char prefix = user.charAt(0);
        String value = user.substring(1);
        PeerIdentity.Kind kind = switch (prefix) {
            case '0', '6' -> PeerIdentity.Kind.PERMANENT;
            case '2', '7' -> PeerIdentity.Kind.PSEUDONYM;
            case '4', '8' -> PeerIdentity.Kind.FAST_REAUTH;
            default -> PeerIdentity.Kind.UNKNOWN;
        };
        if (kind == PeerIdentity.Kind.PERMANENT && !IMSI.matcher(value).matches()) {
            return "error";
        }
        if (kind == PeerIdentity.Kind.UNKNOWN && MULTI_IMSI.matcher(user).matches()) {
            kind = PeerIdentity.Kind.PERMANENT;
        }
        if (kind == PeerIdentity.Kind.PERMANENT && mcc.isPresent() && !value.startsWith(mcc.get())) {
            return "error";
        }
        return kind + " " + mnc.orElse("-") + " " + mcc.orElse("-");
    }

    private static String byTheParser(String raw) {
        try {
            PeerIdentity p = PeerIdentity.parse(raw);
            return p.kind() + " " + p.mnc().orElse("-") + " " + p.mcc().orElse("-");
        } catch (IllegalArgumentException e) {
            return "error";
        }
    }

    @Test
    void theParserAgreesWithTheGrammarOnGeneratedIdentities() {
        String[] userParts = {"0001010000000001", "6001010000000001", "0310150123456789", "2pseudo", "7x", "4re-auth",
                "8", "9001010000000001", "00101", "0", "a b", "x\u00e9", "1234567890123456", "0abc", "", "\t"};
        String[] pieces = {"wlan.", "mnc", "001", "01", "1", "0001", ".mcc", "310", "001", ".3gppnetwork.org", ".",
                "-", "a", "X", "_", "9", "nai.epc.", ".org", "@", " "};
        Random random = new Random(4187);
        int plmnSeen = 0;
        for (int i = 0; i < 200_000; i++) {
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
        assertThat(plmnSeen).as("generated identities with a 3GPP realm").isGreaterThan(5_000);
    }
}
