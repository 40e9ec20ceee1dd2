/**
 * The OpenTWAG service provider interface: the only contract between the server core and its plugins.
 *
 * <p>Three kinds of plugins exist, each an OSGi service:
 * <ul>
 *   <li>{@link org.opentwag.api.eap.EapMethod}: an EAP method (EAP-AKA, EAP-AKA', a vendor's own);</li>
 *   <li>{@link org.opentwag.api.vectors.AuthVectorSource}: where authentication vectors come from (SWx to an HSS,
 *       a local subscriber file);</li>
 *   <li>{@link org.opentwag.api.charging.ChargingBackend}: how a session is charged (disabled, authorization-only,
 *       Gy online, a vendor's own).</li>
 * </ul>
 * Plugins keep no per-subscriber state in their own objects: everything a conversation or a session needs between
 * two packets lives in the plain data objects handed to them ({@link org.opentwag.api.eap.EapConversation},
 * {@link org.opentwag.api.charging.ChargingSession}), so a plugin bundle can be updated while traffic flows.
 */
package org.opentwag.api;
