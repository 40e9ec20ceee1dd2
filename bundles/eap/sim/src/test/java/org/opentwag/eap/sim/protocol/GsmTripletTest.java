package org.opentwag.eap.sim.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.opentwag.api.vectors.AuthVector;
import org.opentwag.milenage.Milenage;

/**
 * c2/c3 against the published GSM-Milenage test data: 3GPP TS 55.205 §4 (v6.0.0) test sets 1-19 give Ki, RAND,
 * OPc with SRES#1 (= c2 of the Milenage RES) and Kc (= c3 of CK, IK). Numbers as carried by hostapd's
 * tests/test-milenage.c (gsm_test_sets). The quintuplet comes from our Milenage (itself checked against TS 35.208);
 * for test set 1 also from the RES/CK/IK printed in TS 35.208 §4.3.1, so the conversion is checked on its own.
 */
class GsmTripletTest {

    private static final HexFormat HEX = HexFormat.of();

    @ParameterizedTest(name = "TS 55.205 test set {0}")
    @CsvSource({
            "1,  465b5ce8b199b49faa5f0a2ee238a6bc, 23553cbe9637a89d218ae64dae47bf35, cd63cb71954a9f4e48a5994e37a02baf, 46f8416a, eae4be823af9a08b",
            "2,  fec86ba6eb707ed08905757b1bb44b8f, 9f7c8d021accf4db213ccff0c7f71a6a, 1006020f0a478bf6b699f15c062e42b3, 8c308a5e, aa01739b8caa976d",
            "3,  9e5944aea94b81165c82fbf9f32db751, ce83dbc54ac0274a157c17f80d017bd6, a64a507ae1a2a98bb88eb4210135dc87, cfbce3fe, 9a8ec95f408cc507",
            "4,  4ab1deb05ca6ceb051fc98e77d026a84, 74b0cd6031a1c8339b2b6ce2b8c4a186, dcf07cbd51855290b92a07a9891e523e, 9655e265, cdc1dc0841b81a22",
            "5,  6c38a116ac280c454f59332ee35c8c4f, ee6466bc96202c5a557abbeff8babf63, 3803ef5363b947c6aaa225e58fae3934, 13688f17, df75bc5ea899879f",
            "6,  2d609d4db0ac5bf0d2c0de267014de0d, 194aa756013896b74b4a2a3b0af4539e, c35a0ab0bcbfc9252caff15f24efbde0, 553d00b3, 84b417ae3aeab4f3",
            "7,  a530a7fe428fad1082c45eddfce13884, 3a4c2b3245c50eb5c71d08639395764d, 27953e49bc8af6dcc6e730eb80286be3, 59f1a44a, 3b4e244cdc60ce03",
            "8,  d9151cf04896e25830bf2e08267b8360, f761e5e93d603feb730e27556cb8a2ca, c4c93effe8a08138c203d4c27ce4e3d9, 50588861, 8d4ec01de597acfe",
            "9,  a0e2971b6822e8d354a18cc235624ecb, 08eff828b13fdb562722c65c7f30a9b2, 82a26f22bba9e9488f949a10d98e9cc4, cde6b027, d8debc4ffbcd60aa",
            "10, 0da6f7ba86d5eac8a19cf563ac58642d, 679ac4dbacd7d233ff9d6806f4149ce3, 0db1071f8767562ca43a0a64c41e8d08, 02d13acd, f0eaa50a1edcebb7",
            "11, 77b45843c88e58c10d202684515ed430, 4c47eb3076dc55fe5106cb2034b8cd78, d483afae562409a326b5bb0b20c4d762, 44389d01, 82dbab7f83f063da",
            "12, 729b17729270dd87ccdf1bfe29b4e9bb, 311c4c929744d675b720f3b7e9b1cbd0, 228c2f2f06ac3268a9e616ee16db4ba1, 03e0fd84, 3c66cb98cab2d33d",
            "13, d32dd23e89dc662354ca12eb79dd32fa, cf7d0ab1d94306950bf12018fbd46887, d22a4b4180a5325708a5ff70d9f67ec7, be73b3dc, 9612b5d88a4130bb",
            "14, af7c65e1927221de591187a2c5987a53, 1f0f8578464fd59b64bed2d09436b57a, a4cf5c8155c08a7eff418e5443b98e55, 8fe019c7, 75a150df3c6aed08",
            "15, 5bd7ecd3d3127a41d12539bed4e7cf71, 59b75f14251c75031d0bcbac1c2c04c7, 76089d3c0ff3efdc6e36721d4fceb747, 27202b82, b7f92e426a36fec5",
            "16, 6cd1c6ceb1e01e14f1b82316a90b7f3d, f69b78f300a0568bce9f0cb93c4be4c9, a219dc37f1dc7d66738b5843c799f206, ddd7efe6, 88d9de10a22004c5",
            "17, b73a90cbcf3afb622dba83c58a8415df, b120f1c1a0102a2f507dd543de68281f, df0c67868fa25f748b7044c6e7c245b8, 67e4ff3f, a819e577a8d6175b",
            "18, 5122250214c33e723a5dd523fc145fc0, 81e92b6c0ee0e12ebceba8d92a99dfa5, 981d464c7c52eb6e5036234984ad0bcf, 8a3b8d17, 9a8d0e883ff0887a",
            "19, 90dca4eda45b53cf0f12d7c9c3bc6a89, 9fddc72092c6ad036b6e464789315b78, cb9cccc4b9258e6dca4760379fb82581, df58522f, ed29b2f1c27f9f34",
    })
    void gsmMilenageOfTs55205(int set, String ki, String rand, String opc, String sres, String kc) {
        Milenage.Output q = new Milenage(hex(ki), hex(opc)).f2345(hex(rand));
        GsmTriplet t = GsmTriplet.of(new AuthVector(hex(rand), new byte[16], q.res(), q.ck(), q.ik()));
        assertThat(HEX.formatHex(t.sres())).as("SRES, set %d", set).isEqualTo(sres);
        assertThat(HEX.formatHex(t.kc())).as("Kc, set %d", set).isEqualTo(kc);
        assertThat(t.rand()).isEqualTo(hex(rand));
    }

    /** TS 35.208 §4.3.1 test set 1 RES/CK/IK (printed there) → TS 55.205 test set 1 SRES/Kc, no Milenage involved. */
    @Test
    void conversionOfThePrintedQuintuplet() {
        byte[] res = hex("a54211d5e3ba50bf");
        byte[] ck = hex("b40ba9a3c58b2a05bbf0d987b21bf8cb");
        byte[] ik = hex("f769bcd751044604127672711c6d3441");
        assertThat(HEX.formatHex(GsmTriplet.c2(res))).isEqualTo("46f8416a");
        assertThat(HEX.formatHex(GsmTriplet.c3(ck, ik))).isEqualTo("eae4be823af9a08b");
    }

    /** TS 33.102 §6.8.1.2: XRES is zero-padded to 128 bits, so a 4-byte XRES is SRES and 12 bytes fold three words. */
    @Test
    void shorterAndLongerXresArePaddedTo128Bits() {
        assertThat(GsmTriplet.c2(hex("01020304"))).isEqualTo(hex("01020304"));
        assertThat(GsmTriplet.c2(hex("0102030410203040"))).isEqualTo(hex("11223344"));
        assertThat(GsmTriplet.c2(hex("010203041020304000000001"))).isEqualTo(hex("11223345"));
        assertThat(GsmTriplet.c2(hex("0102030410203040aa"))).isEqualTo(hex("bb223344"));
        assertThatThrownBy(() -> GsmTriplet.c2(new byte[3])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringShowsNoSecrets() {
        GsmTriplet t = new GsmTriplet(new byte[16], hex("46f8416a"), hex("eae4be823af9a08b"));
        assertThat(t.toString()).doesNotContain("46f8416a").doesNotContain("eae4be82");
    }

    private static byte[] hex(String s) {
        return HEX.parseHex(s.replace(" ", ""));
    }
}
