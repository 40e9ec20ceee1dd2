package org.opentwag.api.accounting;

/** Acct-Status-Type (RFC 2866 section 5.1) values the server handles. */
public enum AccountingStatus {
    START(1), STOP(2), INTERIM(3), ACCOUNTING_ON(7), ACCOUNTING_OFF(8);

    private final int code;

    AccountingStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
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
