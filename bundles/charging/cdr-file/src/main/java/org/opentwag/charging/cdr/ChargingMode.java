package org.opentwag.charging.cdr;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.cdi.annotations.BeanPropertyType;

/**
 * Service property {@code opentwag.charging.mode} of a CDI bean (OSGi CDI 1.0, 104.x "Bean Property Types"): a
 * single-element annotation named ChargingMode becomes the property {@code charging.mode}, after {@link #PREFIX_}.
 */
@BeanPropertyType
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.FIELD})
public @interface ChargingMode {
    String PREFIX_ = "opentwag.";

    String value();
}
