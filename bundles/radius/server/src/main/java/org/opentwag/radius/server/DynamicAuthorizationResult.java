package org.opentwag.radius.server;

import java.util.List;
import java.util.OptionalInt;
import org.opentwag.radius.codec.RadiusAttribute;
import org.opentwag.radius.codec.RadiusDictionary;

/**
 * How an AP answered a Disconnect-Request or CoA-Request.
 *
 * @param outcome    ACK, NAK, or why there was no valid answer
 * @param attributes attributes of the ACK/NAK (Error-Cause on a NAK), empty otherwise
 * @param detail     human-readable reason for logs and the shell
 */
public record DynamicAuthorizationResult(Outcome outcome, List<RadiusAttribute> attributes, String detail) {

    public enum Outcome {
        /** Disconnect-ACK / CoA-ACK. */
        ACK,
        /** Disconnect-NAK / CoA-NAK (see Error-Cause). */
        NAK,
        /** No valid answer after all retries. */
        TIMEOUT,
        /** The NAS address matches no access point group, so there is no secret to sign with. */
        UNKNOWN_NAS,
        /** Could not send (socket closed, request too large, too many in flight). */
        FAILED
    }

    public DynamicAuthorizationResult {
        attributes = List.copyOf(attributes);
    }

    public boolean acknowledged() {
        return outcome == Outcome.ACK;
    }

    /** Error-Cause (RFC 5176 section 3.5) of a NAK. */
    public OptionalInt errorCause() {
        return attributes.stream().filter(a -> a.is(RadiusDictionary.ERROR_CAUSE) && a.length() == 4)
                .mapToInt(RadiusAttribute::asInt).findFirst();
    }
}
