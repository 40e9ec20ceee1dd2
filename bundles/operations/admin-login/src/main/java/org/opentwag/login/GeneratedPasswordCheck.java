package org.opentwag.login;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.opentwag.api.check.Finding;
import org.opentwag.api.check.SafetyCheck;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/** Reports the generated admin password while its clear text is still in etc/ for anyone who gets that account. */
@Component(service = SafetyCheck.class)
public final class GeneratedPasswordCheck implements SafetyCheck {

    private final Path passwordFile;

    @Activate
    public GeneratedPasswordCheck(BundleContext context) {
        this(Path.of(String.valueOf(context.getProperty("karaf.etc"))));
    }

    GeneratedPasswordCheck(Path etc) {
        this.passwordFile = new AdminPasswordSetup(etc).passwordFile();
    }

    @Override
    public List<Finding> findings() {
        if (!Files.exists(passwordFile)) {
            return List.of();
        }
        return List.of(Finding.warning("login",
                "the generated admin password is still in " + passwordFile,
                "store it (e.g. in a password manager) and delete the file, or change it: jaas:realm-manage --realm "
                        + "karaf; jaas:user-add admin <new-password>; jaas:update; then delete the file"));
    }
}
