package org.opentwag.ocssim;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.opentwag.diameter.codec.CreditControlAnswer;
import org.opentwag.diameter.codec.CreditControlApplication;
import org.opentwag.diameter.codec.CreditControlApplication.CcRequestType;
import org.opentwag.diameter.codec.CreditControlApplication.FinalUnitAction;
import org.opentwag.diameter.codec.CreditControlRequest;
import org.opentwag.diameter.codec.DiameterMessage;
import org.opentwag.diameter.codec.OverloadControl;
import org.opentwag.diameter.codec.ResultCodes;
import org.opentwag.diameter.codec.ServiceCredit;
import org.opentwag.diameter.codec.ServiceUnits;
import org.opentwag.diameter.stack.DiameterNode;
import org.opentwag.diameter.stack.PeerInfo;
import org.opentwag.diameter.stack.Registration;
import org.opentwag.diameter.stack.RequestHandler;
import org.opentwag.ocssim.api.OcsSimulatorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An online charging system answering Gy CCRs (RFC 4006, TS 32.299 MSCC) on its own Diameter node, volume only.
 * <ul>
 *   <li>Each grant is min(asked, {@code maxGrantOctets}, what is left), "left" being the balance less what other
 *       open sessions of the subscriber hold; when that takes what is left, the grant carries Final-Unit-Indication
 *       TERMINATE (RFC 4006 5.6).</li>
 *   <li>Nothing left: DIAMETER_CREDIT_LIMIT_REACHED (4012), as Result-Code of the answer and of the MSCC.</li>
 *   <li>Used-Service-Unit of CCR-U and CCR-T is taken off the balance; CCR-T releases the session's grant.</li>
 *   <li>IMSI not in the balance file: the default balance, or DIAMETER_USER_UNKNOWN (5030) when it is -1.
 *       CCR-U/T of an unknown Session-Id: DIAMETER_UNKNOWN_SESSION_ID (5002).</li>
 * </ul>
 */
public final class OcsSimulator implements OcsSimulatorService, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OcsSimulator.class);

    /**
     * One credit-control session: whose it is and what it holds now. Mutable, and linked to the subscriber's other
     * sessions: a session lives from one login to the next (tens of seconds under load), so the grant is updated in
     * place and no set per subscriber is made and dropped per login, which young collections would copy.
     */
    private static final class Held {
        final String sessionId;
        final String imsi;
        final long ratingGroup;
        final long serviceIdentifier;
        long grantedOctets;
        Held nextOfImsi;

        Held(String sessionId, String imsi, long ratingGroup, long serviceIdentifier) {
            this.sessionId = sessionId;
            this.imsi = imsi;
            this.ratingGroup = ratingGroup;
            this.serviceIdentifier = serviceIdentifier;
        }
    }

    private final DiameterNode node;
    private final BalanceBook balances;
    private volatile OcsBehaviour behaviour;
    private final Map<String, Held> sessions = new HashMap<>();
    /** The newest session per IMSI, the head of its list, so a grant looks at the subscriber's own sessions only. */
    private final Map<String, Held> sessionsOfImsi = new HashMap<>();
    private final Registration handler;
    /** The DOIC report put in answers (null: none), and the sequence number of the last one set. */
    private final AtomicReference<OverloadControl.Report> overloadReport = new AtomicReference<>();
    private final AtomicLong overloadSequence = new AtomicLong(System.currentTimeMillis() / 1000);

    public OcsSimulator(DiameterNode node, BalanceBook balances, OcsBehaviour behaviour) {
        this.node = node;
        this.balances = balances;
        this.behaviour = behaviour;
        this.handler = node.registerRequestHandler(CreditControlApplication.APPLICATION_ID,
                // Computed at once from memory (a delay, when set, is a timer): run on the node's event loop.
                CreditControlApplication.CREDIT_CONTROL_COMMAND, RequestHandler.nonBlocking((r, f) -> onCreditControl(r, f)
                        .thenApply(a -> OverloadControl.withReport(r, a, overloadReport.get()))));
    }

    public OcsBehaviour behaviour() {
        return behaviour;
    }

    /** Changes how it answers from the next CCR on (tests: a slow or recovering OCS). */
    public void behaviour(OcsBehaviour newBehaviour) {
        this.behaviour = newBehaviour;
    }

    @Override
    public void reportOverload(int reductionPercentage, Duration validity) {
        OverloadControl.Report report = new OverloadControl.Report(overloadSequence.incrementAndGet(),
                OverloadControl.ReportType.HOST_REPORT, reductionPercentage, reductionPercentage == 0 ? Duration.ZERO : validity);
        overloadReport.set(report);
        LOG.info("OCS simulator {}: overload report sequence {}: {}% for {} s", node.originHost(), report.sequenceNumber(),
                report.reductionPercentage(), report.validity().toSeconds());
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
    public OptionalLong balance(String imsi) {
        return balances.balance(imsi);
    }

    @Override
    public synchronized int openSessions() {
        return sessions.size();
    }

    private CompletionStage<DiameterMessage> onCreditControl(DiameterMessage ccr, PeerInfo from) {
        long delay = behaviour.answerDelayMillis();
        if (delay > 0) {
            return CompletableFuture.supplyAsync(() -> answer(ccr, from),
                    CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS));
        }
        return CompletableFuture.completedFuture(answer(ccr, from));
    }

    synchronized DiameterMessage answer(DiameterMessage message, PeerInfo from) {
        CreditControlRequest ccr;
        try {
            ccr = CreditControlRequest.from(message);
        } catch (IllegalArgumentException e) {
            LOG.warn("CCR from {} refused: {}", from.host(), e.getMessage());
            return CreditControlAnswer.answer(message, ResultCodes.DIAMETER_MISSING_AVP, List.of(), ServiceCredit.ABSENT);
        }
        return switch (ccr.requestType()) {
            case CcRequestType.INITIAL_REQUEST -> initial(message, ccr);
            case CcRequestType.UPDATE_REQUEST -> update(message, ccr);
            case CcRequestType.TERMINATION_REQUEST -> termination(message, ccr);
            default -> CreditControlAnswer.answer(message, ResultCodes.DIAMETER_INVALID_AVP_VALUE, List.of(),
                    ServiceCredit.ABSENT);
        };
    }

    private DiameterMessage initial(DiameterMessage message, CreditControlRequest ccr) {
        if (ccr.imsi() == null) {
            return result(message, ResultCodes.DIAMETER_MISSING_AVP);
        }
        if (balances.balance(ccr.imsi()).isEmpty()) {
            if (behaviour.defaultBalanceOctets() < 0) {
                LOG.info("CCR-I {} for unknown IMSI {}: DIAMETER_USER_UNKNOWN", ccr.sessionId(), ccr.imsi());
                return result(message, ResultCodes.DIAMETER_USER_UNKNOWN);
            }
            balances.set(ccr.imsi(), behaviour.defaultBalanceOctets());
        }
        ServiceCredit asked = ccr.credits().isEmpty() ? null : ccr.credits().get(0);
        long rg = asked == null ? ServiceCredit.ABSENT : asked.ratingGroup();
        long si = asked == null ? ServiceCredit.ABSENT : asked.serviceIdentifier();
        release(ccr.sessionId()); // a repeated CCR-I starts the session afresh
        hold(new Held(ccr.sessionId(), ccr.imsi(), rg, si));
        return grant(message, ccr, asked);
    }

    private DiameterMessage update(DiameterMessage message, CreditControlRequest ccr) {
        Held held = sessions.get(ccr.sessionId());
        if (held == null) {
            return result(message, ResultCodes.DIAMETER_UNKNOWN_SESSION_ID);
        }
        ServiceCredit reported = ccr.credits().isEmpty() ? null : ccr.credits().get(0);
        debit(held, reported);
        held.grantedOctets = 0;
        if (reported == null || reported.requested() == null) {
            return CreditControlAnswer.answer(message, ResultCodes.DIAMETER_SUCCESS, List.of(), ServiceCredit.ABSENT);
        }
        return grant(message, ccr, reported);
    }

    private DiameterMessage termination(DiameterMessage message, CreditControlRequest ccr) {
        Held held = release(ccr.sessionId());
        if (held == null) {
            return result(message, ResultCodes.DIAMETER_UNKNOWN_SESSION_ID);
        }
        long left = debit(held, ccr.credits().isEmpty() ? null : ccr.credits().get(0));
        if (LOG.isInfoEnabled()) { // three arguments: an array and a boxed long per CCR-T otherwise
            LOG.info("CCR-T {} IMSI {}: balance now {} octets", ccr.sessionId(), held.imsi, left);
        }
        return CreditControlAnswer.answer(message, ResultCodes.DIAMETER_SUCCESS, List.of(), ServiceCredit.ABSENT);
    }

    private long debit(Held held, ServiceCredit reported) {
        long used = reported == null || reported.used() == null ? 0 : reported.used().octets();
        return balances.debit(held.imsi, used);
    }

    private DiameterMessage grant(DiameterMessage message, CreditControlRequest ccr, ServiceCredit asked) {
        Held held = sessions.get(ccr.sessionId());
        long left = available(held.imsi, ccr.sessionId());
        if (left <= 0) {
            LOG.info("CCR {} IMSI {}: no credit left, DIAMETER_CREDIT_LIMIT_REACHED", ccr.sessionId(), held.imsi);
            if (ccr.requestType() == CcRequestType.INITIAL_REQUEST) {
                release(ccr.sessionId());
            }
            List<ServiceCredit> credits = asked == null ? List.of() : List.of(ServiceCredit.grant(
                    asked.ratingGroup(), asked.serviceIdentifier(), null, ServiceCredit.ABSENT,
                    ResultCodes.DIAMETER_CREDIT_LIMIT_REACHED, ServiceCredit.ABSENT));
            return CreditControlAnswer.answer(message, ResultCodes.DIAMETER_CREDIT_LIMIT_REACHED, credits,
                    ServiceCredit.ABSENT);
        }
        OcsBehaviour b = behaviour;
        long wanted = asked == null || asked.requested() == null || asked.requested().isEmpty()
                ? b.defaultGrantOctets() : asked.requested().octets();
        if (b.maxGrantOctets() > 0) {
            wanted = Math.min(wanted, b.maxGrantOctets());
        }
        long granted = Math.min(wanted, left);
        boolean last = granted >= left;
        held.grantedOctets = granted;
        if (LOG.isDebugEnabled()) { // six arguments: an array and three boxed longs per grant otherwise
            LOG.debug("CCR {} #{} IMSI {}: granted {} of {} octets left{}", ccr.sessionId(), ccr.requestNumber(),
                    held.imsi, granted, left, last ? " (final units)" : "");
        }
        ServiceCredit credit = ServiceCredit.grant(held.ratingGroup, held.serviceIdentifier,
                ServiceUnits.total(granted), b.validityTimeSeconds() > 0 ? b.validityTimeSeconds() : ServiceCredit.ABSENT,
                ResultCodes.DIAMETER_SUCCESS, last ? FinalUnitAction.TERMINATE : ServiceCredit.ABSENT);
        return CreditControlAnswer.answer(message, ResultCodes.DIAMETER_SUCCESS, List.of(credit), ServiceCredit.ABSENT);
    }

    /** The balance less what the subscriber's other open sessions hold. */
    private long available(String imsi, String exceptSession) {
        long held = 0;
        for (Held h = sessionsOfImsi.get(imsi); h != null; h = h.nextOfImsi) {
            if (!h.sessionId.equals(exceptSession)) {
                held += h.grantedOctets;
            }
        }
        return balances.balance(imsi).orElse(0) - held;
    }

    private void hold(Held held) {
        sessions.put(held.sessionId, held);
        held.nextOfImsi = sessionsOfImsi.put(held.imsi, held);
    }

    private Held release(String sessionId) {
        Held held = sessions.remove(sessionId);
        if (held != null) {
            Held first = sessionsOfImsi.get(held.imsi);
            if (first == held) {
                if (held.nextOfImsi == null) {
                    sessionsOfImsi.remove(held.imsi);
                } else {
                    sessionsOfImsi.put(held.imsi, held.nextOfImsi);
                }
            } else {
                Held h = first;
                while (h != null && h.nextOfImsi != held) {
                    h = h.nextOfImsi;
                }
                if (h != null) {
                    h.nextOfImsi = held.nextOfImsi;
                }
            }
            held.nextOfImsi = null;
        }
        return held;
    }

    private static DiameterMessage result(DiameterMessage message, long code) {
        return CreditControlAnswer.answer(message, code, List.of(), ServiceCredit.ABSENT);
    }

    /** Session-Ids open now (tests). */
    public synchronized List<String> sessionIds() {
        return new ArrayList<>(sessions.keySet());
    }

    @Override
    public void close() {
        handler.close();
    }
}
