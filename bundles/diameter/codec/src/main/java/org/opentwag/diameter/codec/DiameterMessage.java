package org.opentwag.diameter.codec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A Diameter message (RFC 6733 section 3): header fields and AVPs. Immutable; build one with
 * {@link #request(long, int)} or {@link #answerTo(DiameterMessage)}:
 *
 * <pre>{@code
 * DiameterMessage mar = DiameterMessage.request(SwxApplication.APPLICATION_ID, SwxApplication.MULTIMEDIA_AUTH)
 *         .add(Avp.utf8(BaseProtocol.SESSION_ID, sessionId))
 *         .add(Avp.identity(BaseProtocol.DESTINATION_REALM, realm))
 *         .build();
 * DiameterMessage maa = DiameterMessage.answerTo(mar).resultCode(ResultCodes.DIAMETER_SUCCESS).build();
 * }</pre>
 *
 * Hop-by-hop and end-to-end identifiers are normally left at 0 by the application and stamped by the
 * Diameter stack ({@link #withIdentifiers(int, int)}).
 *
 * <p>A decoded message keeps the received bytes, checked by the decoder, and reads its AVPs from them when asked:
 * {@link #find(AvpDefinition)} makes one {@link Avp} view for the AVP found, the typed getters
 * ({@link #utf8(AvpDefinition)}, {@link #unsigned32(AvpDefinition, long)}, {@link #octets(AvpDefinition)}...) none,
 * and only {@link #avps()} makes the whole list of AVP objects.
 */
public final class DiameterMessage {
    public static final int FLAG_REQUEST = 0x80;
    public static final int FLAG_PROXIABLE = 0x40;
    public static final int FLAG_ERROR = 0x20;
    public static final int FLAG_RETRANSMITTED = 0x10;

    private final int flags;
    private final int commandCode;
    private final long applicationId;
    private final int hopByHop;
    private final int endToEnd;
    /** A built message's AVPs; for a decoded one, made from {@link #frame} on the first {@link #avps()}. */
    private volatile List<Avp> avps;
    /** The received message (checked by the decoder; nothing writes into it), or null for a built one. */
    private final byte[] frame;
    /** The dictionary {@link #frame} was decoded with; null for a built message. */
    private final DiameterDictionary dictionary;

    DiameterMessage(int flags, int commandCode, long applicationId, int hopByHop, int endToEnd, List<Avp> avps) {
        this.flags = flags;
        this.commandCode = commandCode;
        this.applicationId = applicationId;
        this.hopByHop = hopByHop;
        this.endToEnd = endToEnd;
        this.avps = avps;
        this.frame = null;
        this.dictionary = null;
    }

    /** A decoded message: its AVPs stay in {@code frame} until asked for. */
    DiameterMessage(int flags, int commandCode, long applicationId, int hopByHop, int endToEnd, byte[] frame,
                    DiameterDictionary dictionary) {
        this.flags = flags;
        this.commandCode = commandCode;
        this.applicationId = applicationId;
        this.hopByHop = hopByHop;
        this.endToEnd = endToEnd;
        this.frame = frame;
        this.dictionary = dictionary;
    }

    private DiameterMessage(DiameterMessage m, int flags, int hopByHop, int endToEnd) {
        this.flags = flags;
        this.commandCode = m.commandCode;
        this.applicationId = m.applicationId;
        this.hopByHop = hopByHop;
        this.endToEnd = endToEnd;
        this.frame = m.frame;
        this.dictionary = m.dictionary;
        this.avps = m.avps;
    }

    /** A request builder with the 'R' and 'P' bits set (use {@link Builder#proxiable(boolean)} for base commands). */
    public static Builder request(long applicationId, int commandCode) {
        return new Builder(FLAG_REQUEST | FLAG_PROXIABLE, commandCode, applicationId, 0, 0);
    }

    /**
     * An answer builder: same command, application, 'P' bit, hop-by-hop and end-to-end identifiers as the
     * request; Session-Id first when the request has one, and the request's Proxy-Info AVPs appended at
     * {@link Builder#build()} (RFC 6733 6.2).
     */
    public static Builder answerTo(DiameterMessage request) {
        if (!request.isRequest()) {
            throw new IllegalArgumentException("answerTo needs a request, got an answer " + request.summary());
        }
        Builder b = new Builder(request.flags & FLAG_PROXIABLE, request.commandCode, request.applicationId,
                request.hopByHop, request.endToEnd);
        request.find(BaseProtocol.SESSION_ID).ifPresent(b::add);
        if (request.has(BaseProtocol.PROXY_INFO)) {
            b.proxyInfo = request.findAll(BaseProtocol.PROXY_INFO);
        }
        return b;
    }

    /**
     * An answer builder for a request that could not be decoded, from its header alone (to report
     * e.g. DIAMETER_INVALID_AVP_LENGTH with the right identifiers).
     */
    public static Builder answerTo(DiameterHeader request) {
        if (!request.isRequest()) {
            throw new IllegalArgumentException("answerTo needs a request header");
        }
        return new Builder(request.flags() & FLAG_PROXIABLE, request.commandCode(), request.applicationId(),
                request.hopByHop(), request.endToEnd());
    }

    /** A builder holding this message's header fields and AVPs, to add to it. */
    public Builder toBuilder() {
        Builder b = new Builder(flags, commandCode, applicationId, hopByHop, endToEnd);
        b.avps.addAll(avps());
        return b;
    }

    /** Decodes a whole message with the standard dictionary (base, SWx, Gy). */
    public static DiameterMessage decode(byte[] message) {
        return decode(message, DiameterDictionary.standard());
    }

    /**
     * Decodes a whole message: checks all of it, nested Grouped AVPs included, and keeps {@code message} to read the
     * AVPs from: do not modify the array afterwards.
     *
     * @throws DiameterDecodeException naming the Result-Code, the offending AVP and its offset
     */
    public static DiameterMessage decode(byte[] message, DiameterDictionary dictionary) {
        return MessageDecoder.decode(message, dictionary);
    }

    // ---------------------------------------------------------------- header

    public int flags() {
        return flags;
    }

    public boolean isRequest() {
        return (flags & FLAG_REQUEST) != 0;
    }

    public boolean isProxiable() {
        return (flags & FLAG_PROXIABLE) != 0;
    }

    public boolean isError() {
        return (flags & FLAG_ERROR) != 0;
    }

    /** The 'T' bit: the request may be a retransmission after a failover (RFC 6733 5.5.4). */
    public boolean isRetransmitted() {
        return (flags & FLAG_RETRANSMITTED) != 0;
    }

    public int commandCode() {
        return commandCode;
    }

    /** The Application-Id, an Unsigned32 (0xffffffff is the relay application). */
    public long applicationId() {
        return applicationId;
    }

    public int hopByHop() {
        return hopByHop;
    }

    public int endToEnd() {
        return endToEnd;
    }

    /** The same message with other hop-by-hop and end-to-end identifiers (shares the AVPs). */
    public DiameterMessage withIdentifiers(int newHopByHop, int newEndToEnd) {
        return new DiameterMessage(this, flags, newHopByHop, newEndToEnd);
    }

    /** The same message with another hop-by-hop identifier (shares the AVPs). */
    public DiameterMessage withHopByHop(int newHopByHop) {
        return new DiameterMessage(this, flags, newHopByHop, endToEnd);
    }

    /** The same request with the 'T' bit set, for a retransmission after failover. */
    public DiameterMessage withRetransmittedFlag() {
        return new DiameterMessage(this, flags | FLAG_RETRANSMITTED, hopByHop, endToEnd);
    }

    // ---------------------------------------------------------------- AVPs

    /** The top-level AVPs in wire order (unmodifiable). A decoded message makes them on the first call. */
    public List<Avp> avps() {
        List<Avp> list = avps;
        if (list == null) {
            // Checked when decoded, so this cannot fail; List.copyOf publishes safely to other threads.
            list = List.copyOf(MessageDecoder.parseAvps(frame, DiameterHeader.LENGTH, frame.length, dictionary, 0,
                    "message"));
            avps = list;
        }
        return list;
    }

    public Optional<Avp> find(AvpDefinition def) {
        return find(def.code(), def.vendorId());
    }

    public Optional<Avp> find(int code, int vendorId) {
        if (frame != null) {
            int pos = AvpReader.seek(frame, DiameterHeader.LENGTH, frame.length, code, vendorId);
            return pos < 0 ? Optional.empty() : Optional.of(AvpReader.view(frame, pos, dictionary));
        }
        Avp avp = first(code, vendorId);
        return avp == null ? Optional.empty() : Optional.of(avp);
    }

    public List<Avp> findAll(AvpDefinition def) {
        List<Avp> out = new ArrayList<>(2);
        if (frame != null) {
            int end = frame.length;
            for (int pos = AvpReader.seek(frame, DiameterHeader.LENGTH, end, def.code(), def.vendorId()); pos >= 0;
                 pos = AvpReader.seek(frame, AvpReader.next(frame, pos, end), end, def.code(), def.vendorId())) {
                out.add(AvpReader.view(frame, pos, dictionary));
            }
            return out;
        }
        for (int i = 0, n = avps.size(); i < n; i++) {
            Avp avp = avps.get(i);
            if (avp.is(def)) {
                out.add(avp);
            }
        }
        return out;
    }

    public boolean has(AvpDefinition def) {
        return frame != null ? seek(def) >= 0 : first(def.code(), def.vendorId()) != null;
    }

    // Typed getters: read the first AVP with the definition's code and vendor without an object for it (a decoded
    // message reads its bytes). A value of the wrong size throws as the Avp accessor does.

    /** The first such AVP's text, or null when there is none. */
    public String utf8(AvpDefinition def) {
        if (frame != null) {
            int pos = seek(def);
            return pos < 0 ? null : AvpReader.utf8(frame, pos, dictionary);
        }
        Avp avp = first(def.code(), def.vendorId());
        return avp == null ? null : avp.utf8();
    }

    /** The first such AVP's Unsigned32 value, or {@code absent}. */
    public long unsigned32(AvpDefinition def, long absent) {
        if (frame != null) {
            int pos = seek(def);
            return pos < 0 ? absent : AvpReader.unsigned32(frame, pos, dictionary);
        }
        Avp avp = first(def.code(), def.vendorId());
        return avp == null ? absent : avp.unsigned32();
    }

    /** The first such AVP's Enumerated (Integer32) value, or {@code absent}. */
    public int enumerated(AvpDefinition def, int absent) {
        if (frame != null) {
            int pos = seek(def);
            return pos < 0 ? absent : AvpReader.integer32(frame, pos, dictionary);
        }
        Avp avp = first(def.code(), def.vendorId());
        return avp == null ? absent : avp.integer32();
    }

    /** The first such AVP's Unsigned64 (or Integer64) value as raw bits, or {@code absent}. */
    public long unsigned64(AvpDefinition def, long absent) {
        if (frame != null) {
            int pos = seek(def);
            return pos < 0 ? absent : AvpReader.integer64(frame, pos, dictionary);
        }
        Avp avp = first(def.code(), def.vendorId());
        return avp == null ? absent : avp.integer64();
    }

    /** A copy of the first such AVP's data, or null when there is none. */
    public byte[] octets(AvpDefinition def) {
        if (frame != null) {
            int pos = seek(def);
            return pos < 0 ? null : AvpReader.octets(frame, pos);
        }
        Avp avp = first(def.code(), def.vendorId());
        return avp == null ? null : avp.octets();
    }

    private int seek(AvpDefinition def) {
        return AvpReader.seek(frame, DiameterHeader.LENGTH, frame.length, def.code(), def.vendorId());
    }

    private Avp first(int code, int vendorId) {
        // Indexed: avps is an unmodifiable list, whose iterator is one more object per lookup.
        List<Avp> list = avps;
        for (int i = 0, n = list.size(); i < n; i++) {
            Avp avp = list.get(i);
            if (avp.code() == code && avp.vendorId() == vendorId) {
                return avp;
            }
        }
        return null;
    }

    public Optional<String> sessionId() {
        return Optional.ofNullable(utf8(BaseProtocol.SESSION_ID));
    }

    public Optional<String> originHost() {
        return Optional.ofNullable(utf8(BaseProtocol.ORIGIN_HOST));
    }

    public Optional<String> originRealm() {
        return Optional.ofNullable(utf8(BaseProtocol.ORIGIN_REALM));
    }

    public Optional<String> destinationHost() {
        return Optional.ofNullable(utf8(BaseProtocol.DESTINATION_HOST));
    }

    public Optional<String> destinationRealm() {
        return Optional.ofNullable(utf8(BaseProtocol.DESTINATION_REALM));
    }

    /** The base Result-Code, if present. */
    public OptionalLong resultCode() {
        long rc = unsigned32(BaseProtocol.RESULT_CODE, -1);
        return rc >= 0 ? OptionalLong.of(rc) : OptionalLong.empty();
    }

    /** The Experimental-Result-Code inside Experimental-Result, if present. */
    public OptionalLong experimentalResultCode() {
        long code = experimentalResultCode(-1);
        return code >= 0 ? OptionalLong.of(code) : OptionalLong.empty();
    }

    /** The Experimental-Result-Code inside Experimental-Result, or {@code absent}. */
    public long experimentalResultCode(long absent) {
        Optional<Avp> er = find(BaseProtocol.EXPERIMENTAL_RESULT);
        return er.isPresent() ? er.get().memberUnsigned32(BaseProtocol.EXPERIMENTAL_RESULT_CODE, absent) : absent;
    }

    /** The Vendor-Id inside Experimental-Result, if present. */
    public OptionalLong experimentalResultVendorId() {
        Optional<Avp> v = find(BaseProtocol.EXPERIMENTAL_RESULT).flatMap(a -> a.find(BaseProtocol.VENDOR_ID));
        return v.isPresent() ? OptionalLong.of(v.get().unsigned32()) : OptionalLong.empty();
    }

    /**
     * The outcome of an answer: the Result-Code, else the Experimental-Result-Code, else empty. Whether
     * it succeeded is {@code 2000 <= code < 3000} in both spaces.
     */
    public OptionalLong outcome() {
        long code = outcome(-1);
        return code >= 0 ? OptionalLong.of(code) : OptionalLong.empty();
    }

    /** {@link #outcome()}, or {@code absent} when the answer has neither code. */
    public long outcome(long absent) {
        long rc = unsigned32(BaseProtocol.RESULT_CODE, -1);
        return rc >= 0 ? rc : experimentalResultCode(absent);
    }

    // ---------------------------------------------------------------- encoding

    /** The Message Length: header plus padded AVPs. */
    public int encodedLength() {
        if (frame != null && frameReencodes()) {
            return frame.length;
        }
        int length = DiameterHeader.LENGTH;
        for (Avp avp : avps()) {
            length += avp.paddedLength();
        }
        return length;
    }

    public byte[] encode() {
        if (frame != null && frameReencodes()) {
            return reencodeFrame();
        }
        List<Avp> avps = avps();
        int length = encodedLength();
        if (length > 0xffffff) {
            throw new IllegalStateException("message of " + length + " octets exceeds the 24-bit Message Length");
        }
        byte[] out = new byte[length];
        out[0] = 1;
        Bytes.put24(out, 1, length);
        out[4] = (byte) flags;
        Bytes.put24(out, 5, commandCode);
        Bytes.put32(out, 8, (int) applicationId);
        Bytes.put32(out, 12, hopByHop);
        Bytes.put32(out, 16, endToEnd);
        int pos = DiameterHeader.LENGTH;
        for (Avp avp : avps) {
            pos = avp.writeTo(out, pos);
        }
        return out;
    }

    /**
     * A decoded message encoded again (an answer resent from the duplicate cache, a relayed message): the received
     * bytes with this message's header fields and zeroed padding, as encoding its AVPs writes them.
     */
    private byte[] reencodeFrame() {
        byte[] out = frame.clone();
        int end = out.length;
        for (int pos = DiameterHeader.LENGTH; pos < end; ) {
            int next = AvpReader.next(out, pos, end);
            java.util.Arrays.fill(out, pos + AvpReader.length(out, pos), next, (byte) 0);
            pos = next;
        }
        out[0] = 1;
        out[4] = (byte) flags;
        Bytes.put32(out, 12, hopByHop);
        Bytes.put32(out, 16, endToEnd);
        return out;
    }

    /**
     * Whether the received bytes are what encoding the AVPs writes (but for padding): not when an AVP has the 'V'
     * bit with Vendor-Id 0, which an {@link Avp} writes back without the Vendor-Id field.
     */
    private boolean frameReencodes() {
        for (int pos = DiameterHeader.LENGTH, end = frame.length; pos < end; pos = AvpReader.next(frame, pos, end)) {
            if ((frame[pos + 4] & Avp.FLAG_VENDOR) != 0 && Bytes.i32(frame, pos + 8) == 0) {
                return false;
            }
        }
        return true;
    }

    /** e.g. "MAR app=16777265 hbh=0x1 e2e=0x2" (no AVP values). */
    public String summary() {
        String abbrev = DiameterDictionary.standard().command(commandCode)
                .map(c -> c.abbreviation(isRequest()))
                .orElse((isRequest() ? "request " : "answer ") + commandCode);
        return abbrev + (isRetransmitted() ? "(T)" : "") + (isError() ? "(E)" : "") + " app=" + applicationId
                + " hbh=0x" + Integer.toHexString(hopByHop) + " e2e=0x" + Integer.toHexString(endToEnd);
    }

    /** Summary and AVPs; OctetString values (keys, XRES, RAND/AUTN) appear only as their length. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(summary()).append(" [");
        List<Avp> avps = avps();
        for (int i = 0; i < avps.size(); i++) {
            sb.append(i == 0 ? "" : ", ");
            avps.get(i).appendTo(sb);
        }
        return sb.append(']').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DiameterMessage m && flags == m.flags && commandCode == m.commandCode
                && applicationId == m.applicationId && hopByHop == m.hopByHop && endToEnd == m.endToEnd
                && avps().equals(m.avps());
    }

    @Override
    public int hashCode() {
        return Objects.hash(commandCode, applicationId, hopByHop, endToEnd);
    }

    /** Collects the header fields and AVPs of a new message. Not thread-safe. */
    public static final class Builder {
        private int flags;
        private final int commandCode;
        private final long applicationId;
        private int hopByHop;
        private int endToEnd;
        private final List<Avp> avps = new ArrayList<>(12);
        private List<Avp> proxyInfo = List.of();

        private Builder(int flags, int commandCode, long applicationId, int hopByHop, int endToEnd) {
            if (commandCode < 0 || commandCode > 0xffffff) {
                throw new IllegalArgumentException("command code " + commandCode + " does not fit in 24 bits");
            }
            if (applicationId < 0 || applicationId > 0xffffffffL) {
                throw new IllegalArgumentException("application id " + applicationId + " is not an Unsigned32");
            }
            this.flags = flags;
            this.commandCode = commandCode;
            this.applicationId = applicationId;
            this.hopByHop = hopByHop;
            this.endToEnd = endToEnd;
        }

        public Builder add(Avp avp) {
            avps.add(Objects.requireNonNull(avp, "avp"));
            return this;
        }

        public Builder add(Avp... more) {
            for (Avp avp : more) {
                add(avp);
            }
            return this;
        }

        public Builder addAll(Collection<Avp> more) {
            for (Avp avp : more) {
                add(avp);
            }
            return this;
        }

        /** Whether an AVP with this definition was added already. */
        public boolean has(AvpDefinition def) {
            for (Avp avp : avps) {
                if (avp.is(def)) {
                    return true;
                }
            }
            return false;
        }

        public Builder proxiable(boolean proxiable) {
            flags = proxiable ? flags | FLAG_PROXIABLE : flags & ~FLAG_PROXIABLE;
            return this;
        }

        /** Sets the 'E' bit (answers only: protocol errors, RFC 6733 7.1.3). */
        public Builder error(boolean error) {
            if (error && (flags & FLAG_REQUEST) != 0) {
                throw new IllegalStateException("the 'E' bit is for answers only");
            }
            flags = error ? flags | FLAG_ERROR : flags & ~FLAG_ERROR;
            return this;
        }

        public Builder retransmitted(boolean retransmitted) {
            flags = retransmitted ? flags | FLAG_RETRANSMITTED : flags & ~FLAG_RETRANSMITTED;
            return this;
        }

        public Builder hopByHop(int id) {
            hopByHop = id;
            return this;
        }

        public Builder endToEnd(int id) {
            endToEnd = id;
            return this;
        }

        /** Adds Result-Code; a protocol error (3xxx) also sets the 'E' bit as RFC 6733 7.1.3 requires. */
        public Builder resultCode(long code) {
            add(Avp.unsigned32(BaseProtocol.RESULT_CODE, code));
            if (code >= 3000 && code < 4000 && (flags & FLAG_REQUEST) == 0) {
                flags |= FLAG_ERROR;
            }
            return this;
        }

        /** Adds Experimental-Result { Vendor-Id, Experimental-Result-Code }. */
        public Builder experimentalResult(int vendorId, long code) {
            return add(Avp.grouped(BaseProtocol.EXPERIMENTAL_RESULT,
                    Avp.unsigned32(BaseProtocol.VENDOR_ID, Integer.toUnsignedLong(vendorId)),
                    Avp.unsigned32(BaseProtocol.EXPERIMENTAL_RESULT_CODE, code)));
        }

        public DiameterMessage build() {
            List<Avp> all;
            if (proxyInfo.isEmpty()) {
                all = List.copyOf(avps);
            } else {
                List<Avp> joined = new ArrayList<>(avps.size() + proxyInfo.size());
                joined.addAll(avps);
                joined.addAll(proxyInfo);
                all = List.copyOf(joined);
            }
            return new DiameterMessage(flags, commandCode, applicationId, hopByHop, endToEnd, all);
        }
    }
}
