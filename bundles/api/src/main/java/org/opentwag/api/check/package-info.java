/**
 * The safety check contract: each bundle reports which of its settings leave the server unsafe
 * ({@link org.opentwag.api.check.SafetyCheck}); {@code twag:check} and the dashboard list them.
 */
package org.opentwag.api.check;
