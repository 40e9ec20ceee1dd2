/**
 * Example vendor charging plugin written with OSGi CDI (Aries CDI): mode {@code cdr-file}, one CSV charging data
 * record per ended session. {@code @Beans} makes bnd require the CDI extender and list the beans for it.
 */
@Beans
package org.opentwag.charging.cdr;

import org.osgi.service.cdi.annotations.Beans;
