package org.opentwag.login;

import java.nio.file.Path;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link AdminPasswordSetup} when the bundle starts (start level 20, before Karaf's ssh console and Pax Web;
 * until it ran, etc/users.properties has no admin line and no login works at all).
 */
public final class AdminPasswordActivator implements BundleActivator {

    private static final Logger LOG = LoggerFactory.getLogger(AdminPasswordActivator.class);

    @Override
    public void start(BundleContext context) {
        String etc = context.getProperty("karaf.etc");
        if (etc == null) {
            return; // not in Karaf: no users.properties to look after
        }
        AdminPasswordSetup setup = new AdminPasswordSetup(Path.of(etc));
        try {
            switch (setup.ensure()) {
                case GENERATED -> {
                    String message = "Generated the password of the Karaf user '" + AdminPasswordSetup.USER
                            + "' (console, ssh, dashboard, REST): it is in " + setup.passwordFile()
                            + " (readable by this account only). Store it elsewhere and delete that file, or change"
                            + " the password (jaas:user-add); etc/users.properties keeps only its hash.";
                    LOG.warn(message);
                    // The console of a foreground Karaf shows System.out: the operator sees it where they started it.
                    System.out.println(message);
                }
                case ENCRYPTION_OFF -> LOG.error("The Karaf user '{}' has no password and password encryption is off"
                        + " in etc/{}: set encryption.enabled = true there and restart to get a generated one, or add"
                        + " the user yourself", AdminPasswordSetup.USER, KarafPasswordEncryption.JAAS_CFG);
                case KEPT -> LOG.debug("The Karaf user '{}' has a password already", AdminPasswordSetup.USER);
            }
        } catch (Exception e) {
            // Nobody can log in until this works, which is safe; say why.
            LOG.error("Cannot set up the password of the Karaf user '{}' in {}: {}", AdminPasswordSetup.USER, etc,
                    e.toString());
        }
    }

    @Override
    public void stop(BundleContext context) {
        // nothing held
    }
}
