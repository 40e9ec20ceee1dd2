package org.opentwag.diameter.stack.internal;

import static org.opentwag.diameter.codec.BaseProtocol.ACCT_APPLICATION_ID;
import static org.opentwag.diameter.codec.BaseProtocol.AUTH_APPLICATION_ID;
import static org.opentwag.diameter.codec.BaseProtocol.VENDOR_SPECIFIC_APPLICATION_ID;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.opentwag.diameter.codec.Avp;
import org.opentwag.diameter.codec.BaseProtocol;
import org.opentwag.diameter.codec.DiameterMessage;
import org.opentwag.diameter.stack.ApplicationId;
import org.opentwag.diameter.stack.NodeConfig;

/** CER/CEA content (RFC 6733 5.3) and the application intersection. */
final class Capabilities {
    private Capabilities() {
    }

    /** The identity AVPs shared by CER and CEA, after Result-Code in a CEA. */
    static DiameterMessage.Builder addIdentity(DiameterMessage.Builder b, NodeConfig config, List<InetAddress> addresses,
                                               long originStateId) {
        b.add(Avp.identity(BaseProtocol.ORIGIN_HOST, config.originHost()))
                .add(Avp.identity(BaseProtocol.ORIGIN_REALM, config.originRealm()));
        for (InetAddress a : addresses) {
            b.add(Avp.address(BaseProtocol.HOST_IP_ADDRESS, a));
        }
        b.add(Avp.unsigned32(BaseProtocol.VENDOR_ID, Integer.toUnsignedLong(config.vendorId())))
                .add(Avp.utf8(BaseProtocol.PRODUCT_NAME, config.productName()))
                .add(Avp.unsigned32(BaseProtocol.ORIGIN_STATE_ID, originStateId));
        Set<Integer> vendors = new LinkedHashSet<>();
        for (ApplicationId app : config.applications()) {
            if (app.vendorId() != 0) {
                vendors.add(app.vendorId());
            }
        }
        for (int v : vendors) {
            b.add(Avp.unsigned32(BaseProtocol.SUPPORTED_VENDOR_ID, Integer.toUnsignedLong(v)));
        }
        for (ApplicationId app : config.applications()) {
            Avp id = Avp.unsigned32(app.accounting() ? ACCT_APPLICATION_ID : AUTH_APPLICATION_ID, app.id());
            if (app.vendorId() == 0) {
                b.add(id);
            } else {
                b.add(Avp.grouped(VENDOR_SPECIFIC_APPLICATION_ID,
                        Avp.unsigned32(BaseProtocol.VENDOR_ID, Integer.toUnsignedLong(app.vendorId())), id));
            }
        }
        b.add(Avp.unsigned32(BaseProtocol.FIRMWARE_REVISION, config.firmwareRevision()));
        return b;
    }

    /** Application ids in Auth-/Acct-Application-Id and Vendor-Specific-Application-Id of a CER or CEA. */
    static Set<Long> advertised(DiameterMessage m) {
        Set<Long> ids = new LinkedHashSet<>();
        for (Avp avp : m.avps()) {
            if (avp.is(AUTH_APPLICATION_ID) || avp.is(ACCT_APPLICATION_ID)) {
                ids.add(avp.unsigned32());
            } else if (avp.is(VENDOR_SPECIFIC_APPLICATION_ID)) {
                for (Avp member : avp.children()) {
                    if (member.is(AUTH_APPLICATION_ID) || member.is(ACCT_APPLICATION_ID)) {
                        ids.add(member.unsigned32());
                    }
                }
            }
        }
        return ids;
    }

    /**
     * RFC 6733 5.3: the intersection, ignoring Vendor-Id; a relay on either side shares everything the
     * other side has.
     */
    static Set<Long> common(List<ApplicationId> ours, Set<Long> theirs) {
        Set<Long> mine = new LinkedHashSet<>();
        for (ApplicationId a : ours) {
            mine.add(a.id());
        }
        if (theirs.contains(BaseProtocol.RELAY_APPLICATION)) {
            return Set.copyOf(mine);
        }
        if (mine.contains(BaseProtocol.RELAY_APPLICATION)) {
            return Set.copyOf(theirs);
        }
        Set<Long> common = new HashSet<>(mine);
        common.retainAll(theirs);
        return Set.copyOf(common);
    }
}
