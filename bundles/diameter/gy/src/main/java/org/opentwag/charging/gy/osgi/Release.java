package org.opentwag.charging.gy.osgi;

/**
 * Which code of charging-gy runs, logged with the bundle's version when its component activates
 * ("org.opentwag.charging-gy 0.1.0.SNAPSHOT active, code release"), so that after a {@code bundle:update} to another
 * release, or back, the log says which one took over. A method, not a constant: javac would copy a constant into its
 * callers, and HotUpgradeIT proves that new code runs by rebuilding this one class with another answer.
 */
final class Release {

    private Release() {
    }

    static String code() {
        return "release";
    }
}
