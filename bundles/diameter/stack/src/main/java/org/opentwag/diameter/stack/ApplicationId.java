package org.opentwag.diameter.stack;

import org.opentwag.diameter.codec.CreditControlApplication;
import org.opentwag.diameter.codec.SwxApplication;

/**
 * A Diameter application we advertise in CER/CEA: a plain Auth- or Acct-Application-Id, or, with a
 * vendor, a Vendor-Specific-Application-Id { Vendor-Id, Auth/Acct-Application-Id }.
 *
 * @param id         the application id (Unsigned32)
 * @param vendorId   0 for IETF applications
 * @param accounting whether it is an accounting application
 */
public record ApplicationId(long id, int vendorId, boolean accounting) {
    /** SWx, advertised as Vendor-Specific-Application-Id { 10415, 16777265 }. */
    public static final ApplicationId SWX = new ApplicationId(SwxApplication.APPLICATION_ID, SwxApplication.VENDOR_ID, false);
    /** Diameter Credit Control (Gy), Auth-Application-Id 4. */
    public static final ApplicationId GY = new ApplicationId(CreditControlApplication.APPLICATION_ID, 0, false);

    public static ApplicationId auth(long id) {
        return new ApplicationId(id, 0, false);
    }

    public static ApplicationId vendorAuth(int vendorId, long id) {
        return new ApplicationId(id, vendorId, false);
    }

    /** "swx", "gy" or a number (a number is a plain Auth-Application-Id). */
    public static ApplicationId parse(String text) {
        String s = text.trim();
        if (s.equalsIgnoreCase("swx")) {
            return SWX;
        }
        if (s.equalsIgnoreCase("gy") || s.equalsIgnoreCase("dcca") || s.equalsIgnoreCase("credit-control")) {
            return GY;
        }
        try {
            long id = Long.parseLong(s);
            if (id == SwxApplication.APPLICATION_ID) {
                return SWX;
            }
            if (id < 0 || id > 0xffffffffL) {
                throw new IllegalArgumentException("application id " + s + " is not an Unsigned32");
            }
            return auth(id);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("unknown Diameter application '" + s + "' (swx, gy or a number)", e);
        }
    }
}
