/**
 * The subscriber trace (each subscriber's recent authentication attempts, step by step) and the typed reason every
 * Access-Reject carries. Served by the trace bundle; written by the EAP engine and accounting.
 */
package org.opentwag.api.trace;
