package org.opentwag.gtp.codec;

/** GTPv2-C IE types used on S2a (TS 29.274 Table 8.1-1). */
public final class IeType {
    public static final int IMSI = 1;
    public static final int CAUSE = 2;
    public static final int RECOVERY = 3;
    public static final int APN = 71;
    public static final int AMBR = 72;
    public static final int EBI = 73;
    public static final int MEI = 75;
    public static final int MSISDN = 76;
    public static final int PCO = 78;
    public static final int PAA = 79;
    public static final int BEARER_QOS = 80;
    public static final int RAT_TYPE = 82;
    public static final int SERVING_NETWORK = 83;
    public static final int F_TEID = 87;
    public static final int BEARER_CONTEXT = 93;
    public static final int CHARGING_ID = 94;
    public static final int PDN_TYPE = 99;
    public static final int APN_RESTRICTION = 127;
    public static final int SELECTION_MODE = 128;
    public static final int NODE_FEATURES = 152;
    public static final int TWAN_IDENTIFIER = 169;
    public static final int PRIVATE_EXTENSION = 255;

    private IeType() {
    }
}
