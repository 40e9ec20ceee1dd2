package org.opentwag.radius.server;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.opentwag.api.eap.NasContext;
import org.opentwag.radius.codec.LocationReport;
import org.opentwag.radius.codec.OperatorName;
import org.opentwag.radius.codec.RadiusAttribute;
import org.opentwag.radius.codec.RadiusDictionary;
import org.opentwag.radius.codec.RadiusPacket;

/**
 * A request whose authenticators the server verified, with where it came from.
 *
 * @param packet      the decoded packet (User-Password, if any, still hidden)
 * @param source      the AP's address and port the datagram came from
 * @param accessPointGroup name of the access point group (factory configuration {@code org.opentwag.radius.client}) it matched
 * @param receivedAt  when the datagram arrived
 */
public record RadiusRequest(RadiusPacket packet, InetSocketAddress source, String accessPointGroup, Instant receivedAt) {

    public int code() {
        return packet.code();
    }

    public int identifier() {
        return packet.identifier();
    }

    public List<RadiusAttribute> attributes() {
        return packet.attributes();
    }

    /** The first attribute of this standard type as UTF-8 text. */
    public Optional<String> string(int type) {
        return packet.string(type);
    }

    /** The first attribute of this standard type as a 32-bit unsigned integer. */
    public OptionalLong integer(int type) {
        return packet.integer(type);
    }

    /** The first attribute of this standard type as octets. */
    public Optional<byte[]> octets(int type) {
        return packet.octets(type);
    }

    /** The first vendor attribute {@code (vendorId, vendorType)}. */
    public Optional<RadiusAttribute> vendorAttribute(int vendorId, int vendorType) {
        return packet.vendorAttribute(vendorId, vendorType);
    }

    /** The EAP packet from all EAP-Message attributes joined (RFC 3579 section 3.1). */
    public Optional<byte[]> eapMessage() {
        return packet.eapMessage();
    }

    public Optional<String> userName() {
        return string(RadiusDictionary.USER_NAME);
    }

    /** The RADIUS State attribute the AP echoes back from our previous Access-Challenge. */
    public Optional<byte[]> state() {
        return octets(RadiusDictionary.STATE);
    }

    /** Acct-Status-Type (1 Start, 2 Stop, 3 Interim-Update, 7 Accounting-On, 8 Accounting-Off). */
    public OptionalLong acctStatusType() {
        return integer(RadiusDictionary.ACCT_STATUS_TYPE);
    }

    /** NAS-IP-Address, else NAS-IPv6-Address, else the source address of the datagram. */
    public String nasIp() {
        return packet.attribute(RadiusDictionary.NAS_IP_ADDRESS)
                .or(() -> packet.attribute(RadiusDictionary.NAS_IPV6_ADDRESS))
                .map(a -> a.asInetAddress().getHostAddress())
                .orElseGet(() -> source.getAddress().getHostAddress());
    }

    /**
     * The access point as the EAP SPI sees it. The AP's own values (address, NAS-Identifier, Called-Station-Id) repeat
     * in every request of that AP and end up in state kept for hours (clients, sessions), so they are interned: one
     * copy per AP instead of one per login. The phone's Calling-Station-Id is not (one value per phone). So are the
     * access network's name and location (RFC 5580), which an AP repeats too.
     */
    public NasContext nasContext() {
        return new NasContext(nasIp().intern(), string(RadiusDictionary.NAS_IDENTIFIER).map(String::intern).orElse(null),
                string(RadiusDictionary.CALLED_STATION_ID).map(String::intern).orElse(null),
                string(RadiusDictionary.CALLING_STATION_ID).orElse(null),
                octets(RadiusDictionary.OPERATOR_NAME).map(OperatorName::decode).map(o -> o.toString().intern())
                        .orElse(null),
                location(),
                packet.attribute(RadiusDictionary.CHARGEABLE_USER_IDENTITY).isPresent());
    }

    private String location() {
        List<RadiusAttribute> info = packet.attributes(RadiusDictionary.LOCATION_INFORMATION);
        List<RadiusAttribute> data = packet.attributes(RadiusDictionary.LOCATION_DATA);
        if (info.isEmpty() && data.isEmpty()) {
            return null;
        }
        String d = LocationReport.describe(info.stream().map(RadiusAttribute::value).toList(),
                data.stream().map(RadiusAttribute::value).toList());
        return d == null ? null : d.intern();
    }
}
