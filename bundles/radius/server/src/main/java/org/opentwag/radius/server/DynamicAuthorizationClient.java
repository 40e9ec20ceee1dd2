package org.opentwag.radius.server;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.opentwag.radius.codec.RadiusAttribute;

/**
 * Sends RFC 5176 Disconnect-Request / CoA-Request to an AP's Dynamic Authorization Server, at the AP's address and the
 * {@code dasPort} of its access point group (default 3799), signed with the group's secret, with Message-Authenticator,
 * retried on timeout. The stage never fails: the outcome is in the result.
 */
public interface DynamicAuthorizationClient {

    /** Disconnect-Request with the attributes identifying the session (User-Name, Acct-Session-Id, ...). */
    CompletionStage<DynamicAuthorizationResult> disconnect(String nasIp, List<RadiusAttribute> identifyingAttributes);

    /** CoA-Request with identifying and changed attributes (e.g. Session-Timeout, WISPr bandwidth). */
    CompletionStage<DynamicAuthorizationResult> changeOfAuthorization(String nasIp, List<RadiusAttribute> attributes);
}
