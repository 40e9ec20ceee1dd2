package org.opentwag.accounting.ledger;

import org.opentwag.api.accounting.AccountingRecord;

/**
 * One row of the ledger: the record as understood, plus the raw Acct-Status-Type so that a type we do not interpret
 * (e.g. 15 Failed) is still kept rather than thrown away.
 */
public record LedgerEntry(int statusType, AccountingRecord record) {
}
