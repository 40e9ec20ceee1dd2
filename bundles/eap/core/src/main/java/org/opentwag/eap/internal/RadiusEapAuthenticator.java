package org.opentwag.eap.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.opentwag.api.accounting.AccessPointRegistry;
import org.opentwag.api.eap.EapAuthentication;
import org.opentwag.api.eap.EapMethod;
import org.opentwag.api.eap.NasContext;
import org.opentwag.api.metrics.MetricsSource;
import org.opentwag.api.session.AccessAuthorizer;
import org.opentwag.api.session.AccessGrant;
import org.opentwag.api.state.StateStore;
import org.opentwag.eap.engine.EapEngine;
import org.opentwag.eap.engine.EapMethodRegistry;
import org.opentwag.eap.engine.EapReply;
import org.opentwag.eap.engine.EapRequest;
import org.opentwag.radius.codec.RadiusAttribute;
import org.opentwag.radius.codec.RadiusCode;
import org.opentwag.radius.codec.RadiusDictionary;
import org.opentwag.radius.server.AccessRequestHandler;
import org.opentwag.radius.server.RadiusReply;
import org.opentwag.radius.server.RadiusRequest;
import org.opentwag.support.metrics.Counters;
import org.opentwag.support.metrics.Histogram;
import org.opentwag.api.trace.RejectReason;
import org.opentwag.api.trace.Rejection;
import org.opentwag.api.trace.SubscriberTrace;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.opentwag.support.simaka.EncryptedIdentity;
import org.opentwag.support.simaka.PeerIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RADIUS side of the EAP engine (RFC 3579): turns each Access-Request into an EAP step and the step's outcome
 * into Access-Challenge, Access-Accept (with the MSK for the AP as MS-MPPE keys) or Access-Reject. EAP methods are
 * followed as they come and go (whiteboard). The grant's attributes (Class, Session-Timeout, Acct-Interim-Interval)
 * come from the access-session service ({@link AccessAuthorizer}).
 */
@Component(service = {AccessRequestHandler.class, MetricsSource.class}, configurationPid = "org.opentwag.eap",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = RadiusEapAuthenticator.Config.class)
public class RadiusEapAuthenticator implements AccessRequestHandler, MetricsSource {

    @ObjectClassDefinition(name = "OpenTWAG EAP engine")
    public @interface Config {
        @AttributeDefinition(description = "Seconds a conversation waits for the peer's next response")
        int conversationTimeoutSeconds() default 60;

        @AttributeDefinition(description = "EAP types in order of preference, e.g. 50,23 (AKA' before AKA)")
        String methodOrder() default "50,23";

        // Read by access-session from this same PID (kept so operators' configurations stay where they are).
        @AttributeDefinition(description = "Acct-Interim-Interval sent in Access-Accept (seconds, 0 = none)")
        int acctInterimIntervalSeconds() default 180;

        @AttributeDefinition(description = "Session-Timeout sent in Access-Accept (seconds, 0 = none)")
        int sessionTimeoutSeconds() default 0;

        @AttributeDefinition(description = "Seconds a client's state stays visible after its last change")
        int clientStateLifetimeSeconds() default 86400;
    }

    private static final Logger LOG = LoggerFactory.getLogger(RadiusEapAuthenticator.class);

    private static final String AUTH_DURATION = "eap_auth_duration_seconds";
    /** Access-Rejects by {@link RejectReason} label: the one place every EAP-side reject is counted. */
    static final String REJECTS = "radius_access_reject_reason_count";

    private final EapMethodRegistry registry = new EapMethodRegistry();
    /** Time from a conversation's first Access-Request to its Accept or Reject, by method and result. */
    private final Histogram authDuration = new Histogram(AUTH_DURATION, Histogram.LATENCY_SECONDS, "method", "result");
    private volatile EapEngine engine;
    private final Counters rejects = new Counters();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile SubscriberTrace trace;

    // Greedy: a clustered store (higher service.ranking) installed later replaces the in-memory one.
    @Reference(policyOption = ReferencePolicyOption.GREEDY)
    private StateStore store;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AccessAuthorizer authorizer;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AccessPointRegistry accessPoints;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addMethod(EapMethod method) {
        registry.add(method);
        LOG.info("EAP method available: {} (type {})", method.name(), method.type());
    }

    void removeMethod(EapMethod method) {
        registry.remove(method);
        LOG.info("EAP method gone: {} (type {})", method.name(), method.type());
    }

    @Activate
    @Modified
    void configure(Config config) {
        registry.preference(Arrays.stream(config.methodOrder().split("[,\\s]+"))
                .filter(s -> !s.isBlank()).map(Integer::valueOf).toList());
        engine = new EapEngine(registry, store, new EapEngine.Settings(
                Duration.ofSeconds(config.conversationTimeoutSeconds())), System::currentTimeMillis, () -> authorizer,
                (method, accepted, millis) -> authDuration.observe(millis / 1000.0, method,
                        accepted ? "accept" : "reject"), () -> trace);
        for (RejectReason r : RejectReason.values()) {
            rejects.counter(rejectSeries(r)); // every label from zero: a chart or alert sees the series at once
        }
    }

    @Override
    public CompletionStage<RadiusReply> handle(RadiusRequest request) {
        NasContext nas = request.nasContext(); // once per request: it decodes and interns the AP's attributes
        AccessPointRegistry aps = accessPoints;
        if (aps != null) {
            aps.seen(nas, (int) request.integer(RadiusDictionary.NAS_PORT_TYPE).orElse(0),
                    (int) request.integer(RadiusDictionary.FRAMED_MTU).orElse(0));
        }
        byte[] eap = request.eapMessage().orElse(null);
        if (eap == null) {
            // Only SIM-based EAP is served; PAP/CHAP would mean passwords, which this product has none of.
            LOG.info("Authentication REJECTED for {} from {}: Access-Request without EAP-Message, reason={}",
                    request.userName().orElse("-"), request.nasIp(), RejectReason.METHOD_NOT_ALLOWED.label());
            rejects.increment(rejectSeries(RejectReason.METHOD_NOT_ALLOWED));
            return CompletableFuture.completedFuture(RadiusReply.reject("EAP authentication required"));
        }
        EapRequest eapRequest = new EapRequest(eap, request.state().orElse(null), request.userName().orElse(null),
                nas);
        return engine.handle(eapRequest).thenApply(reply -> toRadius(request, reply));
    }

    private RadiusReply toRadius(RadiusRequest request, EapReply reply) {
        if (reply instanceof EapReply.Challenge c) {
            return RadiusReply.withEap(RadiusCode.ACCESS_CHALLENGE, c.eapMessage(),
                    List.of(RadiusAttribute.of(RadiusDictionary.STATE, c.state())));
        }
        if (reply instanceof EapReply.Accept a) {
            return RadiusReply.withEap(RadiusCode.ACCESS_ACCEPT, a.eapMessage(), acceptAttributes(request, a));
        }
        EapReply.Reject r = (EapReply.Reject) reply;
        Rejection why = r.rejection();
        // An HSS error is counted with the Diameter result code it came with (a label of bounded range).
        rejects.increment(why.reason() == RejectReason.HSS_ERROR && why.resultCode() != 0
                ? REJECTS + "{reason=\"" + why.reason().label() + "\",result_code=\"" + why.resultCode() + "\"}"
                : rejectSeries(why.reason()));
        if (r.eapMessage() == null) {
            return RadiusReply.reject("Authentication failed");
        }
        return RadiusReply.withEap(RadiusCode.ACCESS_REJECT, r.eapMessage(), List.of());
    }

    private List<RadiusAttribute> acceptAttributes(RadiusRequest request, EapReply.Accept accept) {
        AccessGrant.Granted grant = accept.grant();
        EapAuthentication auth = accept.authentication();
        List<RadiusAttribute> attrs = new ArrayList<>();
        String userName = replyUserName(auth.eapIdentity());
        if (userName != null) {
            attrs.add(RadiusAttribute.ofString(RadiusDictionary.USER_NAME, userName));
        }
        // RFC 3748 / RFC 2548 usage: MS-MPPE-Recv-Key carries the first 32 bytes of the MSK (the PMK), Send-Key the
        // next 32. The server salt-encrypts both with the shared secret before sending.
        byte[] msk = auth.msk();
        attrs.add(RadiusAttribute.vendor(RadiusDictionary.VENDOR_MICROSOFT, RadiusDictionary.MS_MPPE_RECV_KEY,
                Arrays.copyOfRange(msk, 0, 32)));
        attrs.add(RadiusAttribute.vendor(RadiusDictionary.VENDOR_MICROSOFT, RadiusDictionary.MS_MPPE_SEND_KEY,
                Arrays.copyOfRange(msk, 32, 64)));
        if (request.packet().attribute(RadiusDictionary.EAP_KEY_NAME).isPresent() && auth.sessionId() != null) {
            // RFC 4072 / RFC 5247: the AP asked for the EAP Session-Id by sending an (empty) EAP-Key-Name.
            attrs.add(RadiusAttribute.of(RadiusDictionary.EAP_KEY_NAME, auth.sessionId()));
        }
        // RFC 2865 5.25: the AP echoes Class in every Accounting-Request of the session; that is how accounting
        // finds this authentication without trusting a reusable pseudonym in User-Name.
        attrs.add(RadiusAttribute.ofString(RadiusDictionary.CLASS, grant.classValue()));
        if (grant.chargeableUserIdentity() != null) {
            // RFC 4372 2.1: only because the AP sent Chargeable-User-Identity in this Access-Request.
            attrs.add(RadiusAttribute.ofString(RadiusDictionary.CHARGEABLE_USER_IDENTITY,
                    grant.chargeableUserIdentity()));
        }
        if (grant.interimIntervalSeconds() > 0) {
            attrs.add(RadiusAttribute.ofInt(RadiusDictionary.ACCT_INTERIM_INTERVAL, grant.interimIntervalSeconds()));
        }
        if (grant.sessionTimeoutSeconds() > 0) {
            attrs.add(RadiusAttribute.ofInt(RadiusDictionary.SESSION_TIMEOUT, grant.sessionTimeoutSeconds()));
            attrs.add(RadiusAttribute.ofInt(RadiusDictionary.TERMINATION_ACTION,
                    RadiusDictionary.TERMINATION_ACTION_RADIUS_REQUEST));
        }
        return attrs;
    }

    static String rejectSeries(RejectReason reason) {
        return REJECTS + "{reason=\"" + reason.label() + "\"}";
    }

    /**
     * The User-Name of an Access-Accept (RFC 2865 5.1: the name the AP uses in accounting): the identity the peer
     * authenticated with when it reveals no IMSI (anonymous, pseudonym, fast re-authentication identity), otherwise
     * none, so that the IMSI never appears in a reply (and the AP keeps the User-Name of its request). A permanent
     * identity there means the phone sent it in clear itself; an encrypted one is not a name.
     */
    static String replyUserName(String eapIdentity) {
        if (eapIdentity == null || eapIdentity.isEmpty() || EncryptedIdentity.isEncrypted(eapIdentity)
                || eapIdentity.indexOf('\0') >= 0) {
            return null;
        }
        if (PeerIdentity.isAnonymous(eapIdentity)) {
            return eapIdentity;
        }
        try {
            return PeerIdentity.parse(eapIdentity).kind() == PeerIdentity.Kind.PERMANENT ? null : eapIdentity;
        } catch (IllegalArgumentException e) {
            return eapIdentity;
        }
    }

    @Override
    public Map<String, String> help() {
        return Map.of(AUTH_DURATION, "Time from the first Access-Request of an EAP conversation to its Access-Accept or "
                        + "Access-Reject (seconds), by EAP method and result",
                REJECTS, "Access-Rejects sent by the EAP engine, by reason (unknown_subscriber, hss_error, "
                        + "mac_res_mismatch, resync_failed, identity_malformed, method_not_allowed, charging_refused, "
                        + "barred, overload, peer_error, internal_error)");
    }

    @Override
    public Map<String, Number> values() {
        Map<String, Number> v = new java.util.LinkedHashMap<>();
        authDuration.writeTo(v);
        v.putAll(rejects.values());
        return v;
    }

    @Override
    public Kind kind(String metricName) {
        return metricName.equals(AUTH_DURATION) ? Kind.HISTOGRAM : Kind.COUNTER;
    }
}
