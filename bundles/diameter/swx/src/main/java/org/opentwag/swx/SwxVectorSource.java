package org.opentwag.swx;

import static org.opentwag.diameter.codec.BaseProtocol.USER_NAME;

import java.time.Clock;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import org.opentwag.api.vectors.AuthScheme;
import org.opentwag.api.vectors.AuthVector;
import org.opentwag.api.vectors.AuthVectorSource;
import org.opentwag.api.vectors.VectorRequest;
import org.opentwag.api.vectors.VectorSourceException;
import org.opentwag.diameter.codec.Avp;
import org.opentwag.diameter.codec.BaseProtocol;
import org.opentwag.diameter.codec.DiameterMessage;
import org.opentwag.diameter.codec.ResultCodes;
import org.opentwag.diameter.codec.SwxApplication;
import org.opentwag.diameter.codec.SwxApplication.ServerAssignmentType;
import org.opentwag.diameter.stack.DiameterRequestException;
import org.opentwag.support.async.Futures;
import org.opentwag.diameter.stack.DiameterService;
import org.opentwag.diameter.stack.PeerInfo;
import org.opentwag.diameter.stack.Registration;
import org.opentwag.diameter.stack.RequestOptions;
import org.opentwag.swx.SwxMessages.MalformedAnswerException;
import org.opentwag.swx.SwxMessages.BatchDefect;
import org.opentwag.api.vectors.Non3gppUserData;
import org.opentwag.api.vectors.SubscriberProfileListener;
import org.opentwag.diameter.codec.Vendors;
import org.opentwag.support.async.Futures;
import org.opentwag.api.vectors.SubscriberTerminationListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AuthVectorSource} over SWx (TS 29.273 clause 8): MAR/MAA for vectors and resynchronisation, SAR on
 * registration and deregistration, and the HSS-initiated RTR and PPR. Plain Java around a {@link DiameterService};
 * the OSGi component only wires it. Holds no per-subscriber state except the optional vector cache and the HSS that
 * serves each subscriber ({@link ServingHss}, the Destination-Host of its later requests).
 */
public final class SwxVectorSource implements AuthVectorSource, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SwxVectorSource.class);

    private final DiameterService diameter;
    private final SwxSettings settings;
    private final Supplier<? extends Collection<SubscriberTerminationListener>> listeners;
    private final Supplier<? extends Collection<SubscriberProfileListener>> profileListeners;
    private final Map<BatchDefect, LongAdder> rejectedBatches = new EnumMap<>(BatchDefect.class);
    private final Map<PushProfileOutcome, LongAdder> pushProfiles = new EnumMap<>(PushProfileOutcome.class);
    private final Map<RegistrationTerminationOutcome, LongAdder> registrationTerminations =
            new EnumMap<>(RegistrationTerminationOutcome.class);
    private final VectorCache cache;
    private final RequestOptions options;
    private final List<Registration> handlers;
    private final ServingHss servingHss = new ServingHss(SERVING_HSS_MAX_SUBSCRIBERS);
    /** Subscribers whose HSS is remembered: beyond this the least recently used is forgotten (its next MAR goes by realm). */
    static final int SERVING_HSS_MAX_SUBSCRIBERS = 100_000;

    /** What a PPR led to, for the metric. */
    public enum PushProfileOutcome {
        /** The new data is stored; access continues. */
        UPDATED,
        /** The subscriber is unknown here: PPA DIAMETER_ERROR_USER_UNKNOWN. */
        USER_UNKNOWN,
        /** The PPR could not be read: PPA with an error. */
        REFUSED
    }

    /** What an RTR led to, for the metric. */
    public enum RegistrationTerminationOutcome {
        /** A listener knew the subscriber: its access ended, RTA DIAMETER_SUCCESS. */
        ENDED,
        /** No client and no registration here: RTA DIAMETER_ERROR_USER_UNKNOWN. */
        USER_UNKNOWN,
        /** The RTR could not be read: RTA with an error. */
        REFUSED
    }

    /**
     * Registers the RTR and PPR handlers on the node at once; {@link #close()} removes them.
     *
     * @param listeners        the current RTR listeners (read on every RTR)
     * @param profileListeners the current PPR listeners (read on every PPR)
     */
    public SwxVectorSource(DiameterService diameter, SwxSettings settings,
                           Supplier<? extends Collection<SubscriberTerminationListener>> listeners,
                           Supplier<? extends Collection<SubscriberProfileListener>> profileListeners, Clock clock) {
        this.diameter = diameter;
        this.settings = settings;
        this.listeners = listeners;
        this.profileListeners = profileListeners;
        for (BatchDefect d : BatchDefect.values()) {
            rejectedBatches.put(d, new LongAdder());
        }
        for (PushProfileOutcome o : PushProfileOutcome.values()) {
            pushProfiles.put(o, new LongAdder());
        }
        for (RegistrationTerminationOutcome o : RegistrationTerminationOutcome.values()) {
            registrationTerminations.put(o, new LongAdder());
        }
        this.cache = settings.cacheEnabled()
                ? new VectorCache(settings.vectorCacheTtl(), settings.vectorCacheMaxKeys(), clock) : null;
        this.options = RequestOptions.timeout(settings.requestTimeout());
        this.handlers = List.of(
                diameter.registerRequestHandler(SwxApplication.APPLICATION_ID, SwxApplication.REGISTRATION_TERMINATION,
                        this::onRegistrationTermination),
                diameter.registerRequestHandler(SwxApplication.APPLICATION_ID, SwxApplication.PUSH_PROFILE,
                        this::onPushProfile));
    }

    public SwxSettings settings() {
        return settings;
    }

    /** The MAA batches dropped because their vectors repeat each other, by defect. */
    public long rejectedBatches(BatchDefect defect) {
        return rejectedBatches.get(defect).sum();
    }

    /** PPRs received, by outcome. */
    public long pushProfiles(PushProfileOutcome outcome) {
        return pushProfiles.get(outcome).sum();
    }

    /** RTRs received, by outcome. */
    public long registrationTerminations(RegistrationTerminationOutcome outcome) {
        return registrationTerminations.get(outcome).sum();
    }

    /** Vectors waiting in the cache (0 when it is off). */
    public int cachedVectors() {
        return cache == null ? 0 : cache.size();
    }

    @Override
    public CompletionStage<AuthVector> fetch(VectorRequest request) {
        VectorCache.Key key = key(request);
        if (cache != null) {
            Optional<AuthVector> cached = cache.take(key);
            if (cached.isPresent()) {
                LOG.debug("Vector for IMSI {} {} from the cache", request.imsi(), request.scheme().wireName());
                return CompletableFuture.completedFuture(cached.get());
            }
        }
        return multimediaAuth(request, key, null, false);
    }

    @Override
    public CompletionStage<AuthVector> resynchronize(VectorRequest request, byte[] rand, byte[] auts) {
        if (rand == null || rand.length != 16 || auts == null || auts.length != 14) {
            return CompletableFuture.failedFuture(new VectorSourceException(VectorSourceException.Reason.OTHER,
                    "resynchronisation needs RAND (16 bytes) and AUTS (14 bytes)"));
        }
        if (cache != null) {
            // Every cached vector was made with an SQN the USIM just refused.
            cache.drop(request.imsi());
        }
        byte[] resyncInfo = new byte[SwxMessages.RESYNC_INFO_LENGTH];
        System.arraycopy(rand, 0, resyncInfo, 0, 16);
        System.arraycopy(auts, 0, resyncInfo, 16, 14);
        LOG.info("Resynchronising IMSI {} ({}) with the HSS", request.imsi(), request.scheme().wireName());
        return multimediaAuth(request, key(request), resyncInfo, false);
    }

    /** @param retry whether this MAR asks again after a batch was dropped (only once) */
    private CompletionStage<AuthVector> multimediaAuth(VectorRequest request, VectorCache.Key key, byte[] resyncInfo,
                                                       boolean retry) {
        boolean resync = resyncInfo != null;
        int items = settings.itemsPerMar();
        DiameterMessage mar;
        try {
            mar = toServingHss(SwxMessages.multimediaAuthRequest(diameter.newSessionId(), settings, request, items,
                    resyncInfo), request.imsi());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(SwxResults.failure(e, request.imsi()));
        }
        LOG.debug("MAR sent for IMSI {} {} items={} resync={}", request.imsi(), request.scheme().wireName(), items,
                resync);
        CompletableFuture<AuthVector> result = new CompletableFuture<>();
        Optional<String> learntHss = settings.hssHost() == null ? mar.destinationHost() : Optional.empty();
        diameter.send(mar, options).whenComplete((maa, error) -> {
            if (unreachable(error, maa)) {
                learntHss.ifPresent(h -> servingHss.forget(request.imsi(), h));
            } else if (error == null && settings.hssHost() == null && SwxResults.isSuccess(maa)) {
                maa.originHost().ifPresent(h -> servingHss.learnt(request.imsi(), h));
            }
            try {
                result.complete(onMultimediaAuthAnswer(request, key, maa, error, resync));
            } catch (DefectiveBatch e) {
                rejectedBatches.get(e.defect).increment();
                LOG.warn("MAA from {} for IMSI {} dropped: {} among its {} vectors (an HSS fault){}",
                        maa.originHost().orElse("HSS"), request.imsi(), e.defect.label(), e.size,
                        retry ? "; second batch in a row, authentication fails" : "; asking once more");
                if (retry) {
                    result.completeExceptionally(new VectorSourceException(VectorSourceException.Reason.OTHER,
                            "HSS returned repeated challenges (" + e.defect.label() + ") twice for IMSI "
                                    + request.imsi()));
                } else {
                    // The SQN was already moved by a resynchronising MAR: the new MAR is a plain one.
                    multimediaAuth(request, key, null, true).whenComplete((v, again) -> {
                        if (again != null) {
                            result.completeExceptionally(Futures.unwrap(again));
                        } else {
                            result.complete(v);
                        }
                    });
                }
            } catch (VectorSourceException e) {
                LOG.warn("No vector for IMSI {} ({}): {} [{}]", request.imsi(), request.scheme().wireName(),
                        e.getMessage(), e.reason());
                result.completeExceptionally(e);
            } catch (RuntimeException e) {
                VectorSourceException v = SwxResults.failure(e, request.imsi());
                LOG.warn("No vector for IMSI {}: {}", request.imsi(), v.getMessage());
                result.completeExceptionally(v);
            }
        });
        return result;
    }

    private AuthVector onMultimediaAuthAnswer(VectorRequest request, VectorCache.Key key, DiameterMessage maa,
                                              Throwable error, boolean resync) {
        if (error != null) {
            throw SwxResults.failure(error, request.imsi());
        }
        LOG.debug("MAA for IMSI {}: {}", request.imsi(), SwxResults.describe(maa));
        if (!SwxResults.isSuccess(maa)) {
            throw SwxResults.failure(maa, request.imsi(), resync);
        }
        boolean deriveHere = request.scheme() == AuthScheme.EAP_AKA_PRIME && !settings.hssDerivesCkIkPrime();
        List<AuthVector> vectors;
        try {
            vectors = SwxMessages.vectors(maa, request.scheme(), key.networkName(), deriveHere);
        } catch (MalformedAnswerException e) {
            throw new VectorSourceException(VectorSourceException.Reason.OTHER,
                    "unusable MAA from " + maa.originHost().orElse("HSS") + " for IMSI " + request.imsi() + ": "
                            + e.getMessage());
        }
        Optional<BatchDefect> defect = SwxMessages.batchDefect(vectors);
        if (defect.isPresent()) {
            for (AuthVector v : vectors) {
                // Dropped unused: the keys go now rather than whenever the heap is collected.
                Arrays.fill(v.xres(), (byte) 0);
                Arrays.fill(v.ck(), (byte) 0);
                Arrays.fill(v.ik(), (byte) 0);
            }
            throw new DefectiveBatch(defect.get(), vectors.size());
        }
        if (cache != null && vectors.size() > 1) {
            cache.put(key, vectors.subList(1, vectors.size()));
        }
        return vectors.get(0);
    }

    /**
     * Whether the HSS a request named could not be reached: no answer (timeout, peer down, no route), or a protocol
     * error (3xxx, e.g. a DRA's DIAMETER_UNABLE_TO_DELIVER). A request dropped here by DOIC abatement is not: the HSS
     * asked for less traffic, and going by realm instead would dodge its overload report.
     */
    private static boolean unreachable(Throwable error, DiameterMessage answer) {
        if (error != null) {
            return !(Futures.unwrap(error) instanceof DiameterRequestException d
                    && d.reason() == DiameterRequestException.Reason.OVERLOADED);
        }
        long code = answer.resultCode().orElse(0);
        return code >= 3000 && code < 4000;
    }

    /** The request with the subscriber's HSS as Destination-Host when it is known and none is configured. */
    private DiameterMessage toServingHss(DiameterMessage request, String imsi) {
        if (settings.hssHost() != null || request.destinationHost().isPresent()) {
            return request;
        }
        return servingHss.of(imsi)
                .map(h -> request.toBuilder().add(Avp.identity(BaseProtocol.DESTINATION_HOST, h)).build())
                .orElse(request);
    }

    private static VectorCache.Key key(VectorRequest request) {
        String name = request.scheme() == AuthScheme.EAP_AKA_PRIME ? SwxMessages.networkName(request) : "";
        return new VectorCache.Key(request.imsi(), request.scheme(), name);
    }

    /**
     * SAR REGISTRATION. Completes with the subscriber's Non-3GPP-User-Data when the SAA has some; fails with
     * USER_UNKNOWN or NOT_AUTHORIZED when the HSS refuses the subscriber (the caller must not let it in), UNAVAILABLE
     * when no answer came. With SAR off, completes empty at once.
     */
    @Override
    public CompletionStage<Optional<Non3gppUserData>> registered(String imsi, AuthScheme scheme) {
        return serverAssignment(imsi, ServerAssignmentType.REGISTRATION);
    }

    /** SAR USER_DEREGISTRATION; fails when the HSS refuses or does not answer. */
    @Override
    public CompletionStage<Void> deregistered(String imsi) {
        if (cache != null) {
            cache.drop(imsi);
        }
        return serverAssignment(imsi, ServerAssignmentType.USER_DEREGISTRATION).thenAccept(data -> { });
    }

    /**
     * Sends a SAR and completes with the subscriber's Non-3GPP-User-Data when the SAA has one, or fails with the
     * {@link VectorSourceException} the answer (or its absence) amounts to.
     */
    public CompletionStage<Optional<Non3gppUserData>> serverAssignment(String imsi, int assignmentType) {
        if (!settings.sendSar()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        DiameterMessage sar;
        try {
            sar = toServingHss(SwxMessages.serverAssignmentRequest(diameter.newSessionId(), settings, imsi,
                    assignmentType), imsi);
        } catch (RuntimeException e) {
            LOG.warn("SAR for IMSI {} not sent: {}", imsi, e.getMessage());
            return CompletableFuture.failedFuture(SwxResults.failure(e, imsi));
        }
        String type = assignmentType == ServerAssignmentType.REGISTRATION ? "REGISTRATION"
                : assignmentType == ServerAssignmentType.USER_DEREGISTRATION ? "USER_DEREGISTRATION"
                : String.valueOf(assignmentType);
        LOG.debug("SAR {} sent for IMSI {}", type, imsi);
        return diameter.send(sar, options).handle((saa, error) -> {
            if (error != null) {
                VectorSourceException v = SwxResults.failure(error, imsi);
                LOG.warn("SAR {} for IMSI {} failed: {}", type, imsi, v.getMessage());
                throw v;
            }
            if (!SwxResults.isSuccess(saa)) {
                VectorSourceException v = SwxResults.failure(saa, imsi, false);
                LOG.warn("SAR {} for IMSI {} refused by {}: {} [{}]", type, imsi, saa.originHost().orElse("HSS"),
                        SwxResults.describe(saa), v.reason());
                throw v;
            }
            Optional<Non3gppUserData> data;
            try {
                data = SwxMessages.userData(saa);
            } catch (RuntimeException e) {
                LOG.warn("SAA for IMSI {} has unreadable Non-3GPP-User-Data: {}", imsi, e.getMessage());
                throw new VectorSourceException(VectorSourceException.Reason.OTHER,
                        "unreadable Non-3GPP-User-Data in the SAA for IMSI " + imsi + ": " + e.getMessage());
            }
            LOG.debug("SAA {} for IMSI {}: {}", type, imsi, data.map(Object::toString).orElse("no Non-3GPP-User-Data"));
            return data;
        });
    }

    /**
     * RTR (TS 29.273 8.1.2.2): the session owner ends the subscriber's access. RTA DIAMETER_SUCCESS when a listener
     * knows the subscriber, else Experimental-Result DIAMETER_ERROR_USER_UNKNOWN (5001), as for a PPR: the HSS learns
     * that this server holds no context for the user (its registration here was already gone).
     */
    private CompletionStage<DiameterMessage> onRegistrationTermination(DiameterMessage rtr, PeerInfo from) {
        Optional<String> imsi = rtr.find(USER_NAME).map(Avp::utf8);
        if (imsi.isEmpty()) {
            registrationTerminations.get(RegistrationTerminationOutcome.REFUSED).increment();
            LOG.warn("RTR from {} without User-Name: answered DIAMETER_MISSING_AVP", from.host());
            return CompletableFuture.completedFuture(answer(rtr, ResultCodes.DIAMETER_MISSING_AVP));
        }
        String reason = deregistrationReason(rtr);
        if (cache != null) {
            cache.drop(imsi.get());
        }
        LOG.info("RTR from {} for IMSI {}: {}", from.host(), imsi.get(), reason);
        boolean known = false;
        for (SubscriberTerminationListener l : listeners.get()) {
            try {
                known |= l.terminated(imsi.get(), reason);
            } catch (RuntimeException e) {
                LOG.warn("Registration-termination listener {} failed for IMSI {}: {}", l.getClass().getName(),
                        imsi.get(), e.toString());
            }
        }
        if (!known) {
            registrationTerminations.get(RegistrationTerminationOutcome.USER_UNKNOWN).increment();
            LOG.info("RTR for IMSI {}: no client or registration here, answered DIAMETER_ERROR_USER_UNKNOWN",
                    imsi.get());
            return CompletableFuture.completedFuture(userUnknown(rtr));
        }
        registrationTerminations.get(RegistrationTerminationOutcome.ENDED).increment();
        return CompletableFuture.completedFuture(answer(rtr, ResultCodes.DIAMETER_SUCCESS));
    }

    private static String deregistrationReason(DiameterMessage rtr) {
        return rtr.find(SwxApplication.DEREGISTRATION_REASON).map(dr -> {
            String code = dr.find(SwxApplication.REASON_CODE).map(c -> switch (c.enumerated()) {
                case SwxApplication.ReasonCode.PERMANENT_TERMINATION -> "PERMANENT_TERMINATION";
                case SwxApplication.ReasonCode.NEW_SERVER_ASSIGNED -> "NEW_SERVER_ASSIGNED";
                case SwxApplication.ReasonCode.SERVER_CHANGE -> "SERVER_CHANGE";
                case SwxApplication.ReasonCode.REMOVE_S_CSCF -> "REMOVE_S-CSCF";
                default -> "Reason-Code " + c.enumerated();
            }).orElse("no Reason-Code");
            return dr.find(SwxApplication.REASON_INFO).map(i -> code + " (" + i.utf8() + ")").orElse(code);
        }).orElse("no Deregistration-Reason");
    }

    /**
     * PPR (TS 29.273 8.1.2.4): the new Non-3GPP-User-Data goes to the session owner, which stores it and ends the
     * access of a subscriber now barred. PPA DIAMETER_SUCCESS when a listener knows the subscriber, else
     * Experimental-Result DIAMETER_ERROR_USER_UNKNOWN (5001).
     */
    private CompletionStage<DiameterMessage> onPushProfile(DiameterMessage ppr, PeerInfo from) {
        Optional<String> imsi = ppr.find(USER_NAME).map(Avp::utf8);
        if (imsi.isEmpty()) {
            pushProfiles.get(PushProfileOutcome.REFUSED).increment();
            LOG.warn("PPR from {} without User-Name: answered DIAMETER_MISSING_AVP", from.host());
            return CompletableFuture.completedFuture(answer(ppr, ResultCodes.DIAMETER_MISSING_AVP));
        }
        Non3gppUserData data;
        try {
            // A PPR without Non-3GPP-User-Data changes nothing the TWAG acts on (e.g. trace data only).
            data = SwxMessages.userData(ppr).orElse(null);
        } catch (RuntimeException e) {
            pushProfiles.get(PushProfileOutcome.REFUSED).increment();
            LOG.warn("PPR from {} for IMSI {} has unreadable Non-3GPP-User-Data ({}): answered "
                    + "DIAMETER_INVALID_AVP_VALUE", from.host(), imsi.get(), e.getMessage());
            return CompletableFuture.completedFuture(answer(ppr, ResultCodes.DIAMETER_INVALID_AVP_VALUE));
        }
        LOG.info("PPR from {} for IMSI {}: {}", from.host(), imsi.get(),
                data == null ? "no Non-3GPP-User-Data" : data);
        boolean known = false;
        for (SubscriberProfileListener l : profileListeners.get()) {
            try {
                known |= l.profileUpdated(imsi.get(), data);
            } catch (RuntimeException e) {
                LOG.warn("Profile listener {} failed for IMSI {}: {}", l.getClass().getName(), imsi.get(),
                        e.toString());
            }
        }
        if (!known) {
            pushProfiles.get(PushProfileOutcome.USER_UNKNOWN).increment();
            LOG.info("PPR for IMSI {}: no client here, answered DIAMETER_ERROR_USER_UNKNOWN", imsi.get());
            return CompletableFuture.completedFuture(userUnknown(ppr));
        }
        pushProfiles.get(PushProfileOutcome.UPDATED).increment();
        return CompletableFuture.completedFuture(answer(ppr, ResultCodes.DIAMETER_SUCCESS));
    }

    /** A batch of MAA vectors that repeat each other. */
    private static final class DefectiveBatch extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient BatchDefect defect;
        final int size;

        DefectiveBatch(BatchDefect defect, int size) {
            super(defect.label(), null, false, false);
            this.defect = defect;
            this.size = size;
        }
    }

    /** Experimental-Result DIAMETER_ERROR_USER_UNKNOWN (vendor 3GPP), no Result-Code (TS 29.273 / RFC 6733 7.6). */
    private static DiameterMessage userUnknown(DiameterMessage request) {
        return DiameterMessage.answerTo(request)
                .experimentalResult(Vendors.THREE_GPP, ResultCodes.ThreeGpp.DIAMETER_ERROR_USER_UNKNOWN)
                .add(SwxMessages.swxApplicationId())
                .add(SwxMessages.noStateMaintained())
                .build();
    }

    private static DiameterMessage answer(DiameterMessage request, long resultCode) {
        return DiameterMessage.answerTo(request).resultCode(resultCode)
                .add(SwxMessages.swxApplicationId())
                .add(SwxMessages.noStateMaintained())
                .build();
    }

    /** Removes the RTR/PPR handlers and the cache. */
    @Override
    public void close() {
        handlers.forEach(Registration::close);
        if (cache != null) {
            cache.clear();
        }
    }
}
