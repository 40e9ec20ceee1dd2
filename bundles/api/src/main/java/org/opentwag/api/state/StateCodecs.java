package org.opentwag.api.state;

import java.util.List;

import org.opentwag.api.accounting.AccessPoint;
import org.opentwag.api.accounting.AccountingSession;
import org.opentwag.api.charging.ChargedSession;
import org.opentwag.api.charging.ChargingSession;
import org.opentwag.api.charging.Usage;
import org.opentwag.api.s2a.PdnConnectionRecord;
import org.opentwag.api.vectors.Non3gppUserData;

/**
 * The codecs of the API's state value types, for stores that keep values as bytes. A value type added to the API and
 * kept in a {@link StateStore} gets its {@code CODEC} and is listed here; a value of a type not listed stays an
 * object in the in-memory store.
 */
public final class StateCodecs {

    /** In a fixed order: a store may write a codec's index in this list before the value's bytes. */
    public static final List<StateCodec<?>> ALL = List.of(AuthorizedSession.CODEC, ClientState.CODEC,
            ChargedSession.CODEC, ChargingSession.CODEC, Usage.CODEC, AccountingSession.CODEC, AccessPoint.CODEC,
            PdnConnectionRecord.CODEC, Non3gppUserData.CODEC);

    private StateCodecs() {
    }
}
