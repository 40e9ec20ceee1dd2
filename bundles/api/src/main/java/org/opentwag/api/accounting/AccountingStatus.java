package org.opentwag.api.accounting;

/** Acct-Status-Type (RFC 2866 section 5.1) values the server handles. */
public enum AccountingStatus {
    START(1, "Start"), STOP(2, "Stop"), INTERIM(3, "Interim-Update"), ACCOUNTING_ON(7, "Accounting-On"),
    ACCOUNTING_OFF(8, "Accounting-Off");

    private final int code;
    private final String rfcName;

    AccountingStatus(int code, String rfcName) {
        this.code = code;
        this.rfcName = rfcName;
    }

    public int code() {
        return code;
    }

    /** The value's name in RFC 2866 ("Interim-Update"), as operators and RADIUS tools print it. */
    public String rfcName() {
        return rfcName;
    }

    /** The RFC 2866 name of a stored status; "other" for a value the server does not handle (stored as null). */
    public static String rfcNameOf(AccountingStatus status) {
        return status == null ? "other" : status.rfcName();
    }

    /** The status for an Acct-Status-Type value, or null when it is not one we handle. */
    public static AccountingStatus of(int code) {
        for (AccountingStatus s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        return null;
    }
}
