/**
 * Accounting: what access points report about sessions (RFC 2866), the access point registry, and the listener
 * contract through which charging sees usage. Served by the accounting bundle.
 */
package org.opentwag.api.accounting;
