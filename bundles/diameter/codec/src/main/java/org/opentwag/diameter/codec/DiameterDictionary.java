package org.opentwag.diameter.codec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Names, formats and flags of the AVPs and commands we know. The decoder uses it to check fixed lengths
 * and to parse Grouped AVPs; logs and metrics use it for names. Immutable and thread-safe;
 * {@link #standard()} holds the base protocol, DOIC (RFC 7683), SWx and Gy (Credit Control). Lookups by code and vendor
 * for IETF and 3GPP AVPs are array indexed (no allocation on the decoding path).
 */
public final class DiameterDictionary {
    private static final int ARRAY_LIMIT = 4096;
    private static final DiameterDictionary STANDARD = new DiameterDictionary(
            concat(BaseProtocol.avps(), OverloadControl.avps(), SwxApplication.avps(), CreditControlApplication.avps()),
            concat(BaseProtocol.commands(), SwxApplication.commands(), CreditControlApplication.commands()),
            Map.of(BaseProtocol.COMMON_MESSAGES_APPLICATION, "base",
                    BaseProtocol.RELAY_APPLICATION, "relay",
                    SwxApplication.APPLICATION_ID, "swx",
                    CreditControlApplication.APPLICATION_ID, "gy"));

    private final AvpDefinition[] ietf = new AvpDefinition[ARRAY_LIMIT];
    private final AvpDefinition[] threeGpp = new AvpDefinition[ARRAY_LIMIT];
    private final Map<Long, AvpDefinition> others = new HashMap<>();
    private final Map<String, AvpDefinition> byName = new HashMap<>();
    private final Map<Integer, CommandDefinition> commands = new HashMap<>();
    private final Map<Long, String> applicationNames;
    private final List<AvpDefinition> all;

    private DiameterDictionary(Collection<AvpDefinition> avps, Collection<CommandDefinition> commandList,
                               Map<Long, String> applicationNames) {
        List<AvpDefinition> list = new ArrayList<>();
        for (AvpDefinition def : avps) {
            AvpDefinition previous = avpOrNull(def.code(), def.vendorId());
            if (previous != null) {
                if (previous.equals(def)) {
                    continue; // the same AVP listed by two applications (Subscription-Id)
                }
                list.remove(previous);
                byName.remove(previous.name());
            }
            put(def);
            byName.put(def.name(), def);
            list.add(def);
        }
        for (CommandDefinition c : commandList) {
            commands.put(c.code(), c);
        }
        this.applicationNames = Map.copyOf(applicationNames);
        this.all = List.copyOf(list);
    }

    /** Base protocol, SWx and Gy. */
    public static DiameterDictionary standard() {
        return STANDARD;
    }

    /** A dictionary with these AVPs added to (or replacing the same code and vendor in) this one. */
    public DiameterDictionary with(Collection<AvpDefinition> more) {
        List<AvpDefinition> avps = new ArrayList<>(all);
        avps.addAll(more);
        return new DiameterDictionary(avps, commands.values(), applicationNames);
    }

    private void put(AvpDefinition def) {
        int code = def.code();
        if (code >= 0 && code < ARRAY_LIMIT && def.vendorId() == Vendors.IETF) {
            ietf[code] = def;
        } else if (code >= 0 && code < ARRAY_LIMIT && def.vendorId() == Vendors.THREE_GPP) {
            threeGpp[code] = def;
        } else {
            others.put(key(code, def.vendorId()), def);
        }
    }

    private static long key(int code, int vendorId) {
        return (long) vendorId << 32 | (code & 0xffffffffL);
    }

    /** The definition for this code and vendor, or null: the allocation-free lookup of the decoder. */
    public AvpDefinition avpOrNull(int code, int vendorId) {
        if (code >= 0 && code < ARRAY_LIMIT) {
            if (vendorId == Vendors.IETF) {
                return ietf[code];
            }
            if (vendorId == Vendors.THREE_GPP) {
                return threeGpp[code];
            }
        }
        return others.isEmpty() ? null : others.get(key(code, vendorId));
    }

    public Optional<AvpDefinition> avp(int code, int vendorId) {
        return Optional.ofNullable(avpOrNull(code, vendorId));
    }

    /** By the specification name, e.g. "SIP-Auth-Data-Item". */
    public Optional<AvpDefinition> avp(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Every AVP definition, in the order given. */
    public List<AvpDefinition> avps() {
        return all;
    }

    public Optional<CommandDefinition> command(int code) {
        return Optional.ofNullable(commands.get(code));
    }

    /** "MAR", "CEA"..., or the number when the command is unknown: the label of the message metrics. */
    public String commandLabel(int code, boolean request) {
        CommandDefinition c = commands.get(code);
        return c != null ? c.abbreviation(request) : (request ? "R" : "A") + code;
    }

    /** "base", "swx", "gy", "relay", or the number: the label of the message metrics. */
    public String applicationLabel(long applicationId) {
        String name = applicationNames.get(applicationId);
        return name != null ? name : Long.toString(applicationId);
    }

    /** The id of an application name accepted in configuration ("swx", "gy", "base") or a number. */
    public Optional<Long> applicationId(String nameOrNumber) {
        String s = nameOrNumber.trim();
        for (Map.Entry<Long, String> e : applicationNames.entrySet()) {
            if (e.getValue().equalsIgnoreCase(s)) {
                return Optional.of(e.getKey());
            }
        }
        try {
            long id = Long.parseLong(s);
            return id >= 0 && id <= 0xffffffffL ? Optional.of(id) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @SafeVarargs
    private static <T> List<T> concat(List<T>... lists) {
        List<T> out = new ArrayList<>();
        for (List<T> l : lists) {
            out.addAll(l);
        }
        return out;
    }
}
