package org.opentwag.api.accounting;

/**
 * Told about every accounting record once it is durable (e.g. the charging core, which turns interim usage into
 * CCR-Update). Registered as an OSGi service; called on an accounting worker thread, so it must return quickly and
 * hand slow work (an OCS round trip) to its own stages. A listener's failure never un-acknowledges a record.
 */
public interface AccountingListener {
    void recorded(AccountingRecord record);
}
