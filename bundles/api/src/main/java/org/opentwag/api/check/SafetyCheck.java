package org.opentwag.api.check;

import java.util.List;

/**
 * A part of the server that can say which of its current settings leave the installation unsafe or inconsistent.
 * Register it as an OSGi service; {@code twag:check}, {@code GET /api/check} and the dashboard's banner list the
 * findings of every registered check, so each setting is judged by the bundle that owns it.
 *
 * <p>Called on demand (an operator's command, a page load), never on the request path; an implementation reads its
 * current configuration and answers quickly, without network calls.
 */
public interface SafetyCheck {

    /** What is unsafe or inconsistent right now; empty when nothing is. */
    List<Finding> findings();
}
