package org.opentwag.charging.cdr;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;

/** Configuration of PID {@code org.opentwag.charging.cdr} (optional file {@code etc/org.opentwag.charging.cdr.cfg}). */
@Retention(RetentionPolicy.RUNTIME)
public @interface CdrConfig {
    /** Directory of the CDR files; empty for ${karaf.data}/cdr. */
    String directory() default "";
}
