package org.opentwag.accounting.sessions;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;

import org.opentwag.accounting.ledger.LedgerEntry;
import org.opentwag.api.accounting.AccountingRecord;
import org.opentwag.api.accounting.AccountingStatus;
import org.opentwag.api.charging.Usage;
import org.opentwag.api.state.AuthorizedSession;
import org.opentwag.api.state.ClientState;
import org.opentwag.api.session.AccessSessions;
import org.opentwag.radius.codec.RadiusAttribute;
import org.opentwag.radius.codec.RadiusDictionary;
import org.opentwag.radius.codec.RadiusPacket;

/**
 * Reads an Accounting-Request (RFC 2866, RFC 2869 Gigawords) into a record and ties it to the subscriber: first by
 * our Class token (RFC 2865 5.25, echoed by the AP), else by the User-Name's client, both asked of the
 * access-session service (without it, records are stored without IMSI rather than refused).
 */
public final class AccountingRequestReader {

    private static final long GIGAWORD = 1L << 32;

    private final Supplier<AccessSessions> sessions;

    /** @param sessions the access-session service; may supply null (not installed) */
    public AccountingRequestReader(Supplier<AccessSessions> sessions) {
        this.sessions = sessions;
    }

    public LedgerEntry read(RadiusPacket packet, String nasIp, long receivedAtMillis) {
        int statusType = (int) packet.integer(RadiusDictionary.ACCT_STATUS_TYPE).orElse(0);
        String userName = packet.string(RadiusDictionary.USER_NAME).orElse(null);
        String token = authSessionToken(packet).orElse(null);
        String imsi = subscriber(token, userName);
        Usage usage = new Usage(
                octets(packet, RadiusDictionary.ACCT_INPUT_OCTETS, RadiusDictionary.ACCT_INPUT_GIGAWORDS),
                octets(packet, RadiusDictionary.ACCT_OUTPUT_OCTETS, RadiusDictionary.ACCT_OUTPUT_GIGAWORDS),
                packet.integer(RadiusDictionary.ACCT_INPUT_PACKETS).orElse(0),
                packet.integer(RadiusDictionary.ACCT_OUTPUT_PACKETS).orElse(0),
                packet.integer(RadiusDictionary.ACCT_SESSION_TIME).orElse(0));
        String framedIp = packet.attribute(RadiusDictionary.FRAMED_IP_ADDRESS).filter(a -> a.length() == 4)
                .map(a -> a.asInetAddress().getHostAddress()).orElse(null);
        AccountingRecord record = new AccountingRecord(AccountingStatus.of(statusType), receivedAtMillis, nasIp,
                packet.string(RadiusDictionary.NAS_IDENTIFIER).orElse(null),
                packet.string(RadiusDictionary.ACCT_SESSION_ID).orElse(null), userName, imsi, token,
                packet.string(RadiusDictionary.CALLED_STATION_ID).orElse(null),
                packet.string(RadiusDictionary.CALLING_STATION_ID).orElse(null), framedIp, usage,
                (int) packet.integer(RadiusDictionary.ACCT_TERMINATE_CAUSE).orElse(0),
                packet.string(RadiusDictionary.CHARGEABLE_USER_IDENTITY).filter(v -> !v.equals("\0")).orElse(null));
        return new LedgerEntry(statusType, record);
    }

    /** Our token from a Class attribute, ignoring Class values set by anyone else. */
    static Optional<String> authSessionToken(RadiusPacket packet) {
        for (RadiusAttribute a : packet.attributes(RadiusDictionary.CLASS)) {
            String v = new String(a.value(), StandardCharsets.US_ASCII);
            if (v.startsWith(AuthorizedSession.CLASS_PREFIX)) {
                return Optional.of(v.substring(AuthorizedSession.CLASS_PREFIX.length()));
            }
        }
        return Optional.empty();
    }

    private String subscriber(String token, String userName) {
        AccessSessions s = sessions.get();
        if (s == null) {
            return null;
        }
        Optional<String> byClass = s.authorization(token).map(AuthorizedSession::imsi);
        if (byClass.isPresent()) {
            return byClass.get();
        }
        return userName == null ? null : s.client(userName).map(ClientState::imsi).orElse(null);
    }

    private static long octets(RadiusPacket p, int octetsType, int gigawordsType) {
        return p.integer(gigawordsType).orElse(0) * GIGAWORD + p.integer(octetsType).orElse(0);
    }
}
