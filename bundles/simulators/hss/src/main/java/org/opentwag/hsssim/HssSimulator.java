package org.opentwag.hsssim;

import static org.opentwag.diameter.codec.BaseProtocol.AUTH_APPLICATION_ID;
import static org.opentwag.diameter.codec.BaseProtocol.AUTH_SESSION_STATE;
import static org.opentwag.diameter.codec.BaseProtocol.DESTINATION_HOST;
import static org.opentwag.diameter.codec.BaseProtocol.DESTINATION_REALM;
import static org.opentwag.diameter.codec.BaseProtocol.FAILED_AVP;
import static org.opentwag.diameter.codec.BaseProtocol.SESSION_ID;
import static org.opentwag.diameter.codec.BaseProtocol.USER_NAME;
import static org.opentwag.diameter.codec.BaseProtocol.VENDOR_ID;
import static org.opentwag.diameter.codec.BaseProtocol.VENDOR_SPECIFIC_APPLICATION_ID;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

import org.opentwag.api.vectors.AuthScheme;
import org.opentwag.api.vectors.AuthVector;
import org.opentwag.diameter.codec.Avp;
import org.opentwag.diameter.codec.BaseProtocol.AuthSessionState;
import org.opentwag.diameter.codec.CreditControlApplication;
import org.opentwag.diameter.codec.DiameterMessage;
import org.opentwag.diameter.codec.ResultCodes;
import org.opentwag.diameter.codec.ResultCodes.ThreeGpp;
import org.opentwag.diameter.codec.SwxApplication;
import org.opentwag.diameter.codec.SwxApplication.ServerAssignmentType;
import org.opentwag.diameter.codec.Vendors;
import org.opentwag.diameter.stack.DiameterNode;
import org.opentwag.diameter.stack.PeerInfo;
import org.opentwag.diameter.stack.Registration;
import org.opentwag.diameter.stack.RequestHandler;
import org.opentwag.hsssim.api.HssSimulatorService;
import org.opentwag.milenage.AkaPrimeKeys;
import org.opentwag.milenage.AuthenticationCentre;
import org.opentwag.vectors.local.subscribers.Subscriber;
import org.opentwag.vectors.local.subscribers.SubscriberDatabase;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.opentwag.diameter.codec.OverloadControl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HSS answering SWx (TS 29.273 clause 8) on its own Diameter node: MAR with Milenage vectors from the subscriber
 * file (EAP-AKA: CK/IK; EAP-AKA': CK'/IK' bound to the ANID), resynchronisation with AUTS, SAR with
 * Non-3GPP-User-Data, and RTR towards the AAA server. Plain Java: the OSGi component creates the node and the
 * subscriber database and hands them over.
 *
 * <p>Answers chosen where TS 29.273 text was not at hand: an AUTS whose MAC-S does not verify gets Result-Code
 * DIAMETER_AUTHENTICATION_REJECTED (4001, "authentication failed, retry"); SIP-Authorization of the wrong length gets
 * DIAMETER_INVALID_AVP_VALUE (5004) with Failed-AVP; a missing User-Name or SIP-Auth-Data-Item DIAMETER_MISSING_AVP.
 */
public final class HssSimulator implements HssSimulatorService, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HssSimulator.class);

    /** Where RTRs go: the AAA server that registered the subscriber. */
    private record AaaServer(String host, String realm) {
    }

    private final DiameterNode node;
    private final SubscriberDatabase subscribers;
    private volatile HssBehaviour behaviour;
    /** IMSIs whose non-3GPP access is barred now (Non-3GPP-IP-Access in SAA and PPR). */
    private final java.util.Set<String> barred = ConcurrentHashMap.newKeySet();
    /** APNs sent to every subscriber as APN-Configurations (Context-Identifier 1, 2, ...), the first the default. */
    private volatile List<String> apns = List.of();
    /** "IMSI/Server-Assignment-Type" → SARs received, for tests that check what the AAA server told. */
    private final Map<String, java.util.concurrent.atomic.LongAdder> sarCounts = new ConcurrentHashMap<>();
    private final Supplier<byte[]> randSource;
    private final Function<String, Optional<String>> msisdnOf;
    private final Map<String, AaaServer> registeredAt = new ConcurrentHashMap<>();
    private final List<Registration> handlers;
    /** The DOIC report put in answers (null: none), and the sequence number of the last one set. */
    private final AtomicReference<OverloadControl.Report> overloadReport = new AtomicReference<>();
    private final AtomicLong overloadSequence = new AtomicLong(System.currentTimeMillis() / 1000);

    /**
     * @param randSource 16-byte RANDs (a SecureRandom by default; tests pass published RANDs)
     * @param msisdnOf   MSISDN per IMSI for SAA Non-3GPP-User-Data (the subscriber file has none yet)
     */
    public HssSimulator(DiameterNode node, SubscriberDatabase subscribers, HssBehaviour behaviour,
                        Supplier<byte[]> randSource, Function<String, Optional<String>> msisdnOf) {
        this.node = node;
        this.subscribers = subscribers;
        this.behaviour = behaviour;
        this.randSource = randSource;
        this.msisdnOf = msisdnOf;
        this.handlers = List.of(
                // Computed at once from memory (a delay, when set, is a timer): run on the node's event loop.
                node.registerRequestHandler(SwxApplication.APPLICATION_ID, SwxApplication.MULTIMEDIA_AUTH,
                        RequestHandler.nonBlocking((r, f) -> onMultimediaAuth(r, f).thenApply(a -> withOverloadReport(r, a)))),
                node.registerRequestHandler(SwxApplication.APPLICATION_ID, SwxApplication.SERVER_ASSIGNMENT,
                        RequestHandler.nonBlocking((r, f) -> onServerAssignment(r, f).thenApply(a -> withOverloadReport(r, a)))));
    }

    public HssSimulator(DiameterNode node, SubscriberDatabase subscribers, HssBehaviour behaviour) {
        this(node, subscribers, behaviour, secureRands(), imsi -> Optional.empty());
    }

    private static Supplier<byte[]> secureRands() {
        SecureRandom random = new SecureRandom();
        return () -> {
            byte[] rand = new byte[16];
            random.nextBytes(rand);
            return rand;
        };
    }

    public HssBehaviour behaviour() {
        return behaviour;
    }

    @Override
    public String originHost() {
        return node.originHost();
    }

    @Override
    public Optional<InetSocketAddress> listenAddress() {
        return node.listenAddress();
    }

    @Override
    public Optional<String> registeredAt(String imsi) {
        return Optional.ofNullable(registeredAt.get(imsi)).map(AaaServer::host);
    }

    @Override
    public int subscriberCount() {
        return subscribers.size();
    }

    // ------------------------------------------------------------------ MAR

    private CompletionStage<DiameterMessage> onMultimediaAuth(DiameterMessage mar, PeerInfo from) {
        long delay = behaviour.answerDelayMillis();
        if (delay > 0) {
            return CompletableFuture.supplyAsync(() -> answerMultimediaAuth(mar, from),
                    CompletableFuture.delayedExecutor(delay, java.util.concurrent.TimeUnit.MILLISECONDS));
        }
        return CompletableFuture.completedFuture(answerMultimediaAuth(mar, from));
    }

    DiameterMessage answerMultimediaAuth(DiameterMessage mar, PeerInfo from) {
        // Typed getters: the MAR is read in place from its bytes, without an object per AVP.
        String imsi = mar.utf8(USER_NAME);
        Avp requestItem = mar.find(SwxApplication.SIP_AUTH_DATA_ITEM).orElse(null);
        String schemeName = requestItem == null ? null : requestItem.memberUtf8(SwxApplication.SIP_AUTHENTICATION_SCHEME);
        if (imsi == null || schemeName == null) {
            LOG.warn("MAR from {} without {}: DIAMETER_MISSING_AVP", from.host(),
                    imsi == null ? "User-Name" : "SIP-Auth-Data-Item/SIP-Authentication-Scheme");
            return answer(mar).resultCode(ResultCodes.DIAMETER_MISSING_AVP).build();
        }
        Optional<Subscriber> subscriber = subscribers.find(imsi);
        if (subscriber.isEmpty()) {
            LOG.info("MAR from {} for unknown IMSI {}: DIAMETER_ERROR_USER_UNKNOWN", from.host(), imsi);
            return answer(mar).experimentalResult(Vendors.THREE_GPP, ThreeGpp.DIAMETER_ERROR_USER_UNKNOWN).build();
        }
        AuthScheme scheme;
        try {
            scheme = AuthScheme.fromWireName(schemeName);
        } catch (IllegalArgumentException e) {
            LOG.warn("MAR from {} for IMSI {} asks scheme '{}': DIAMETER_ERROR_AUTH_SCHEME_NOT_SUPPORTED", from.host(),
                    imsi, schemeName);
            return schemeNotSupported(mar);
        }
        if (scheme == AuthScheme.EAP_AKA_PRIME && behaviour.refuseAkaPrime()) {
            LOG.info("MAR from {} for IMSI {}: EAP-AKA' refused (refuseAkaPrime, as Open5GS)", from.host(), imsi);
            return schemeNotSupported(mar);
        }
        String networkName = scheme == AuthScheme.EAP_AKA_PRIME ? accessNetworkName(mar, imsi) : null;
        Subscriber s = subscriber.get();
        try {
            Avp resync = requestItem.find(SwxApplication.SIP_AUTHORIZATION).orElse(null);
            if (resync != null) {
                DiameterMessage refusal = resynchronize(mar, s, resync);
                if (refusal != null) {
                    return refusal;
                }
            }
            long asked = mar.unsigned32(SwxApplication.SIP_NUMBER_AUTH_ITEMS, 1L);
            int count = (int) Math.max(1, Math.min(asked, behaviour.maxVectorsPerMar()));
            DiameterMessage.Builder maa = answer(mar).resultCode(ResultCodes.DIAMETER_SUCCESS)
                    .add(Avp.utf8(USER_NAME, s.imsi()))
                    .add(Avp.unsigned32(SwxApplication.SIP_NUMBER_AUTH_ITEMS, count));
            byte[] firstRand = null;
            for (int i = 1; i <= count; i++) {
                byte[] rand = behaviour.duplicateRands() && firstRand != null ? firstRand.clone() : randSource.get();
                firstRand = firstRand == null ? rand.clone() : firstRand;
                maa.add(item(i, s, scheme, networkName, rand));
            }
            LOG.debug("MAA to {} for IMSI {}: {} {} vector(s){}", from.host(), s.imsi(), count, scheme.wireName(),
                    networkName == null ? "" : " bound to " + networkName);
            return maa.build();
        } catch (RuntimeException e) {
            // SQN state not durable, SQN space exhausted...: better no vector than a reused SQN.
            LOG.error("MAR for IMSI {} failed: {}", s.imsi(), e.toString());
            return answer(mar).resultCode(ResultCodes.DIAMETER_UNABLE_TO_COMPLY).build();
        }
    }

    private DiameterMessage schemeNotSupported(DiameterMessage mar) {
        return answer(mar).experimentalResult(Vendors.THREE_GPP, ThreeGpp.DIAMETER_ERROR_AUTH_SCHEME_NOT_SUPPORTED)
                .build();
    }

    /** ANID (1504); else Access-Network-Information (1263) as one HSS fork reads it; else "WLAN". */
    private static String accessNetworkName(DiameterMessage mar, String imsi) {
        String anid = mar.utf8(SwxApplication.ANID);
        if (anid != null && !anid.isEmpty()) {
            return anid;
        }
        Optional<String> legacy = mar.find(SwxApplication.ACCESS_NETWORK_INFORMATION)
                .map(a -> new String(a.octets(), StandardCharsets.UTF_8));
        if (legacy.isPresent() && !legacy.get().isEmpty()) {
            LOG.warn("MAR for IMSI {} carries the access network name in AVP 1263 (Access-Network-Information, "
                    + "TS 32.299), not in ANID 1504 (TS 29.273): using '{}'; fix the AAA client", imsi, legacy.get());
            return legacy.get();
        }
        LOG.warn("EAP-AKA' MAR for IMSI {} has no ANID (1504): binding CK'/IK' to \"WLAN\"", imsi);
        return SwxApplication.ANID_WLAN;
    }

    /** Verifies AUTS and moves the SQN; returns the refusal to send, or null when the SQN was resynchronised. */
    private DiameterMessage resynchronize(DiameterMessage mar, Subscriber s, Avp authorization) {
        byte[] info = authorization.octets();
        if (info.length != 30) {
            LOG.warn("Resync MAR for IMSI {}: SIP-Authorization is {} bytes, not RAND||AUTS (30)", s.imsi(),
                    info.length);
            return answer(mar).resultCode(ResultCodes.DIAMETER_INVALID_AVP_VALUE)
                    .add(Avp.grouped(FAILED_AVP, authorization)).build();
        }
        byte[] rand = Arrays.copyOfRange(info, 0, 16);
        byte[] auts = Arrays.copyOfRange(info, 16, 30);
        long sqnMs = AuthenticationCentre.verifyAuts(s.ki(), s.opc(), rand, auts);
        if (sqnMs < 0) {
            LOG.warn("Resync MAR for IMSI {}: AUTS MAC-S does not verify (wrong keys or forged): "
                    + "DIAMETER_AUTHENTICATION_REJECTED", s.imsi());
            return answer(mar).resultCode(ResultCodes.DIAMETER_AUTHENTICATION_REJECTED).build();
        }
        // The database issues "last issued + 32" next: set last issued so the next one is SQN_MS + step.
        long lastIssued = Math.max(0, sqnMs + behaviour.resyncSqnStep() - SubscriberDatabase.SQN_STEP);
        subscribers.resynchronize(s, lastIssued, 0);
        LOG.info("Resynchronised IMSI {}: SQN_MS {} , next SQN {}", s.imsi(), Long.toHexString(sqnMs),
                Long.toHexString(subscribers.currentSqn(s) + SubscriberDatabase.SQN_STEP));
        return null;
    }

    private Avp item(int number, Subscriber s, AuthScheme scheme, String networkName, byte[] rand) {
        byte[] amf = s.amf().clone();
        if (scheme == AuthScheme.EAP_AKA_PRIME) {
            // RFC 5448 3.4 / TS 33.402: EAP-AKA' vectors carry the AMF separation bit; peers check it.
            amf[0] |= (byte) 0x80;
        }
        long sqn = subscribers.nextSqn(s);
        AuthVector v = AuthenticationCentre.vector(s.ki(), s.opc(), amf, rand, sqn);
        byte[] ck = v.ck();
        byte[] ik = v.ik();
        if (scheme == AuthScheme.EAP_AKA_PRIME) {
            byte[][] prime = AkaPrimeKeys.deriveCkIkPrime(ck, ik, networkName, Arrays.copyOfRange(v.autn(), 0, 6));
            ck = prime[0];
            ik = prime[1];
        }
        byte[] randAutn = new byte[32];
        System.arraycopy(v.rand(), 0, randAutn, 0, 16);
        System.arraycopy(v.autn(), 0, randAutn, 16, 16);
        return Avp.grouped(SwxApplication.SIP_AUTH_DATA_ITEM,
                Avp.unsigned32(SwxApplication.SIP_ITEM_NUMBER, number),
                Avp.utf8(SwxApplication.SIP_AUTHENTICATION_SCHEME, scheme.wireName()),
                Avp.octets(SwxApplication.SIP_AUTHENTICATE, randAutn),
                Avp.octets(SwxApplication.SIP_AUTHORIZATION, v.xres()),
                Avp.octets(SwxApplication.CONFIDENTIALITY_KEY, ck),
                Avp.octets(SwxApplication.INTEGRITY_KEY, ik));
    }

    // ------------------------------------------------------------------ SAR

    private CompletionStage<DiameterMessage> onServerAssignment(DiameterMessage sar, PeerInfo from) {
        return CompletableFuture.completedFuture(answerServerAssignment(sar, from));
    }

    DiameterMessage answerServerAssignment(DiameterMessage sar, PeerInfo from) {
        Optional<String> imsi = sar.find(USER_NAME).map(Avp::utf8);
        Optional<Integer> type = sar.find(SwxApplication.SERVER_ASSIGNMENT_TYPE).map(Avp::enumerated);
        if (imsi.isEmpty() || type.isEmpty()) {
            LOG.warn("SAR from {} without {}: DIAMETER_MISSING_AVP", from.host(),
                    imsi.isEmpty() ? "User-Name" : "Server-Assignment-Type");
            return answer(sar).resultCode(ResultCodes.DIAMETER_MISSING_AVP).build();
        }
        if (subscribers.find(imsi.get()).isEmpty()) {
            LOG.info("SAR from {} for unknown IMSI {}: DIAMETER_ERROR_USER_UNKNOWN", from.host(), imsi.get());
            return answer(sar).experimentalResult(Vendors.THREE_GPP, ThreeGpp.DIAMETER_ERROR_USER_UNKNOWN).build();
        }
        sarCounts.computeIfAbsent(imsi.get() + "/" + type.get(), k -> new java.util.concurrent.atomic.LongAdder())
                .increment();
        String aaaHost = sar.originHost().orElse(from.host());
        String aaaRealm = sar.originRealm().orElse(from.realm());
        DiameterMessage.Builder saa = answer(sar).resultCode(ResultCodes.DIAMETER_SUCCESS)
                .add(Avp.utf8(USER_NAME, imsi.get()));
        switch (type.get()) {
            case ServerAssignmentType.REGISTRATION, ServerAssignmentType.RE_REGISTRATION,
                    ServerAssignmentType.AAA_USER_DATA_REQUEST -> {
                if (type.get() != ServerAssignmentType.AAA_USER_DATA_REQUEST) {
                    registeredAt.put(imsi.get(), aaaServer(aaaHost, aaaRealm));
                }
                saa.add(userData(imsi.get()));
                LOG.debug("SAA to {} for IMSI {}: type {}, Non-3GPP-User-Data sent", aaaHost, imsi.get(), type.get());
            }
            case ServerAssignmentType.USER_DEREGISTRATION, ServerAssignmentType.TIMEOUT_DEREGISTRATION,
                    ServerAssignmentType.ADMINISTRATIVE_DEREGISTRATION,
                    ServerAssignmentType.USER_DEREGISTRATION_STORE_SERVER_NAME,
                    ServerAssignmentType.TIMEOUT_DEREGISTRATION_STORE_SERVER_NAME -> {
                registeredAt.remove(imsi.get());
                LOG.debug("SAA to {} for IMSI {}: deregistered (type {})", aaaHost, imsi.get(), type.get());
            }
            case ServerAssignmentType.PGW_UPDATE, ServerAssignmentType.AUTHENTICATION_FAILURE,
                    ServerAssignmentType.AUTHENTICATION_TIMEOUT, ServerAssignmentType.NO_ASSIGNMENT ->
                    LOG.debug("SAA to {} for IMSI {}: type {} acknowledged", aaaHost, imsi.get(), type.get());
            default -> {
                LOG.warn("SAR from {} for IMSI {} with Server-Assignment-Type {}: DIAMETER_ERROR_IN_ASSIGNMENT_TYPE",
                        aaaHost, imsi.get(), type.get());
                return answer(sar).experimentalResult(Vendors.THREE_GPP, ThreeGpp.DIAMETER_ERROR_IN_ASSIGNMENT_TYPE)
                        .build();
            }
        }
        return saa.build();
    }

    /**
     * The AAA server as registered: a few AAA servers register millions of times, so one record (and one copy of
     * their names) for all their subscribers, not one per SAR. The last one is kept at hand: String.intern per SAR
     * (a lookup in the JVM's string table, twice) was a tenth of the simulator's SAR work.
     */
    private AaaServer aaaServer(String host, String realm) {
        AaaServer last = lastAaaServer;
        if (last != null && last.host().equals(host) && last.realm().equals(realm)) {
            return last;
        }
        AaaServer server = new AaaServer(host.intern(), realm.intern());
        lastAaaServer = server;
        return server;
    }

    private volatile AaaServer lastAaaServer;

    private Avp userData(String imsi) {
        List<Avp> members = new ArrayList<>();
        msisdnOf.apply(imsi).ifPresent(msisdn -> members.add(Avp.grouped(CreditControlApplication.SUBSCRIPTION_ID,
                Avp.enumerated(CreditControlApplication.SUBSCRIPTION_ID_TYPE,
                        CreditControlApplication.SubscriptionIdType.END_USER_E164),
                Avp.utf8(CreditControlApplication.SUBSCRIPTION_ID_DATA, msisdn))));
        members.add(Avp.enumerated(SwxApplication.NON_THREE_GPP_IP_ACCESS, barred.contains(imsi)
                ? SwxApplication.Non3gppIpAccess.NON_3GPP_SUBSCRIPTION_BARRED
                : SwxApplication.Non3gppIpAccess.NON_3GPP_SUBSCRIPTION_ALLOWED));
        members.add(Avp.enumerated(SwxApplication.NON_THREE_GPP_IP_ACCESS_APN,
                SwxApplication.Non3gppIpAccessApn.NON_3GPP_APNS_ENABLE));
        List<String> configured = apns;
        if (!configured.isEmpty()) {
            // TS 29.273 8.2.3.1 / TS 29.272 7.3.35: the default APN by its Context-Identifier; PDN type IPv4v6 (2).
            members.add(Avp.unsigned32(SwxApplication.CONTEXT_IDENTIFIER, 1));
            for (int i = 0; i < configured.size(); i++) {
                members.add(Avp.grouped(SwxApplication.APN_CONFIGURATION,
                        Avp.unsigned32(SwxApplication.CONTEXT_IDENTIFIER, i + 1),
                        Avp.enumerated(SwxApplication.PDN_TYPE, 2),
                        Avp.utf8(SwxApplication.SERVICE_SELECTION, configured.get(i))));
            }
        }
        return Avp.grouped(SwxApplication.NON_THREE_GPP_USER_DATA, members);
    }

    /** The APNs every SAA's Non-3GPP-User-Data carries from now on, the first as the default (none: no APN data). */
    public void apnConfigurations(List<String> apns) {
        this.apns = List.copyOf(apns);
    }

    // ------------------------------------------------------------------ RTR

    /** Where a request for the subscriber goes: the AAA server that registered it, else the configured TWAG. */
    private AaaServer aaaServerOf(String imsi) {
        return registeredAt.getOrDefault(imsi, new AaaServer(behaviour.aaaHost(),
                node.peer(behaviour.aaaHost()).map(PeerInfo::realm).filter(r -> r != null && !r.isBlank())
                        .orElse(node.originRealm())));
    }

    private DiameterMessage.Builder requestTo(AaaServer to, int command, String imsi) {
        return DiameterMessage.request(SwxApplication.APPLICATION_ID, command)
                .add(Avp.utf8(SESSION_ID, node.newSessionId()))
                .add(swxApplicationId())
                .add(NO_STATE_MAINTAINED)
                .add(Avp.identity(DESTINATION_REALM, to.realm()))
                .add(Avp.identity(DESTINATION_HOST, to.host()))
                .add(Avp.utf8(USER_NAME, imsi));
    }

    @Override
    public CompletionStage<Long> sendRegistrationTermination(String imsi, int reasonCode) {
        AaaServer to = aaaServerOf(imsi);
        DiameterMessage rtr = requestTo(to, SwxApplication.REGISTRATION_TERMINATION, imsi)
                .add(Avp.grouped(SwxApplication.DEREGISTRATION_REASON,
                        Avp.enumerated(SwxApplication.REASON_CODE, reasonCode),
                        Avp.utf8(SwxApplication.REASON_INFO, "terminated by the HSS simulator")))
                .build();
        LOG.info("RTR (Reason-Code {}) for IMSI {} sent to {}", reasonCode, imsi, to.host());
        return node.send(rtr).thenApply(rta -> {
            long code = rta.outcome().orElse(0);
            LOG.info("RTA for IMSI {} from {}: {}", imsi, rta.originHost().orElse(to.host()), code);
            if (ResultCodes.isSuccess(code)) {
                registeredAt.remove(imsi);
            }
            return code;
        });
    }

    // ------------------------------------------------------------------ DOIC (RFC 7683) as reporting node

    @Override
    public void reportOverload(int reductionPercentage, Duration validity) {
        OverloadControl.Report report = new OverloadControl.Report(overloadSequence.incrementAndGet(),
                OverloadControl.ReportType.HOST_REPORT, reductionPercentage, reductionPercentage == 0 ? Duration.ZERO : validity);
        overloadReport.set(report);
        LOG.info("HSS simulator {}: overload report sequence {}: {}% for {} s", node.originHost(), report.sequenceNumber(),
                report.reductionPercentage(), report.validity().toSeconds());
    }

    private DiameterMessage withOverloadReport(DiameterMessage request, DiameterMessage answer) {
        return OverloadControl.withReport(request, answer, overloadReport.get());
    }

    @Override
    public void setBarred(String imsi, boolean bar) {
        if (bar) {
            barred.add(imsi);
        } else {
            barred.remove(imsi);
        }
        LOG.info("Non-3GPP access of IMSI {} now {}", imsi, bar ? "BARRED" : "allowed");
    }

    @Override
    public CompletionStage<Long> sendPushProfile(String imsi, boolean bar) {
        setBarred(imsi, bar);
        AaaServer to = aaaServerOf(imsi);
        DiameterMessage ppr = requestTo(to, SwxApplication.PUSH_PROFILE, imsi).add(userData(imsi)).build();
        LOG.info("PPR for IMSI {} ({}) sent to {}", imsi, bar ? "barred" : "allowed", to.host());
        return node.send(ppr).thenApply(ppa -> {
            long code = ppa.outcome().orElse(0);
            LOG.info("PPA for IMSI {} from {}: {}", imsi, ppa.originHost().orElse(to.host()), code);
            return code;
        });
    }

    @Override
    public void setDuplicateRands(boolean duplicate) {
        behaviour = behaviour.withDuplicateRands(duplicate);
        LOG.info("Multi-vector MAAs {} one RAND", duplicate ? "now REPEAT" : "no longer repeat");
    }

    @Override
    public long serverAssignments(String imsi, int assignmentType) {
        java.util.concurrent.atomic.LongAdder n = sarCounts.get(imsi + "/" + assignmentType);
        return n == null ? 0 : n.sum();
    }

    // ------------------------------------------------------------------ common

    // Made once: an Avp is immutable, and every answer carries these two.
    private static final Avp SWX_APPLICATION_ID = Avp.grouped(VENDOR_SPECIFIC_APPLICATION_ID,
            Avp.unsigned32(VENDOR_ID, SwxApplication.VENDOR_ID),
            Avp.unsigned32(AUTH_APPLICATION_ID, SwxApplication.APPLICATION_ID));
    private static final Avp NO_STATE_MAINTAINED = Avp.enumerated(AUTH_SESSION_STATE, AuthSessionState.NO_STATE_MAINTAINED);

    private static Avp swxApplicationId() {
        return SWX_APPLICATION_ID;
    }

    /** MAA/SAA skeleton: Session-Id, Vendor-Specific-Application-Id, Auth-Session-State (TS 29.273 CCFs). */
    private static DiameterMessage.Builder answer(DiameterMessage request) {
        return DiameterMessage.answerTo(request)
                .add(swxApplicationId())
                .add(NO_STATE_MAINTAINED);
    }

    /** Removes the handlers; the owner closes the node. */
    @Override
    public void close() {
        handlers.forEach(Registration::close);
    }
}
