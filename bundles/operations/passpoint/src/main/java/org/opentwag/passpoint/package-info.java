/**
 * Passpoint / Hotspot 2.0 generator: turns the TWAG's own settings ({@link org.opentwag.passpoint.PasspointProfile})
 * into access point configuration (hostapd, controller CLI) and device profiles (Android PPS MO, Apple
 * .mobileconfig), and warns about the mistakes that stop phones from offloading
 * ({@link org.opentwag.passpoint.PasspointValidator}). Plain Java: no OSGi types in this package.
 */
package org.opentwag.passpoint;
