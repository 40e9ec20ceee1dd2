package org.opentwag.session.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class ChargeableUserIdentitiesTest {

    /** RFC 4231 4.2 (test case 1): key 20 x 0x0b, data "Hi There"; the identity shows the first 128 bits. */
    @Test
    void theIdentityIsTheKeysHmacSha256OfTheImsiAsRfc4231Computes() {
        byte[] key = new byte[20];
        Arrays.fill(key, (byte) 0x0b);
        assertThat(new ChargeableUserIdentities("1", key).of("Hi There"))
                .isEqualTo("1.b0344c61d8db38535ca8afceaf0bf12b");
    }

    @Test
    void differentSubscribersAndDifferentKeysGiveDifferentIdentities() {
        byte[] key = new byte[32];
        ChargeableUserIdentities a = new ChargeableUserIdentities("a", key);
        assertThat(a.of("001010000000001")).isNotEqualTo(a.of("001010000000002"));
        key[0] = 1;
        assertThat(new ChargeableUserIdentities("a", key).of("001010000000001"))
                .isNotEqualTo(a.of("001010000000001"));
    }

    @Test
    void aShortKeyOrABadKeyIdIsRefused() {
        assertThatThrownBy(() -> new ChargeableUserIdentities("1", new byte[15]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChargeableUserIdentities("a.b", new byte[16]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
