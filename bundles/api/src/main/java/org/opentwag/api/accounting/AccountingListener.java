package org.opentwag.api.accounting;

/**
 * Told about every accounting record once it is durable (e.g. the charging core, which turns interim usage into
 * CCR-Update). Registered as an OSGi service; called on one of accounting's after-commit lanes (threads): the records of
 * one access point (NAS IP) in commit order on one lane, those of different access points possibly at the same time,
 * so it must be thread-safe, return quickly and hand slow work (an OCS round trip) to its own stages. A listener's failure never un-acknowledges a record.
 */
public interface AccountingListener {
    void recorded(AccountingRecord record);
}
