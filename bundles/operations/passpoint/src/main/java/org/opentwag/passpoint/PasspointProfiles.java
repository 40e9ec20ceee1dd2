package org.opentwag.passpoint;

import java.util.List;

/**
 * The Passpoint generator as a service (registered in OSGi by this bundle; plain Java for callers): the profile built
 * from the TWAG's current configuration, its findings, and each generated file. Meant for the shell
 * ({@code twag:passpoint}) and for a dashboard/REST download.
 */
public interface PasspointProfiles {

    /** The profile as the configuration stands now (etc/org.opentwag.passpoint.cfg plus the TWAG's own settings). */
    PasspointProfile profile();

    /** The mistakes found in {@link #profile()}, worst first. */
    List<Finding> validate();

    /** One generated file. */
    GeneratedFile generate(PasspointFormat format);
}
