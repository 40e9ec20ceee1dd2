package org.opentwag.dashboard.osgi;

import java.security.Principal;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.opentwag.dashboard.auth.BasicAuthenticator.LoginFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Checks credentials against a Karaf JAAS realm (etc/users.properties by default) and returns the user's roles. */
final class KarafJaasLogin implements LoginFunction {

    private static final Logger LOG = LoggerFactory.getLogger(KarafJaasLogin.class);

    private final String realm;

    KarafJaasLogin(String realm) {
        this.realm = realm;
    }

    @Override
    public Optional<Set<String>> login(String user, char[] password) {
        Subject subject = new Subject();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try {
            // JAAS loads the realm's proxy login module through the context class loader; Karaf's JAAS boot
            // classes live with RolePrincipal.
            thread.setContextClassLoader(RolePrincipal.class.getClassLoader());
            LoginContext context = new LoginContext(realm, subject, callbacks -> answer(callbacks, user, password));
            context.login();
            Set<String> roles = subject.getPrincipals(RolePrincipal.class).stream().map(Principal::getName)
                    .collect(Collectors.toUnmodifiableSet());
            context.logout();
            return Optional.of(roles);
        } catch (LoginException e) {
            LOG.debug("Dashboard login of {} in realm {} failed: {}", user, realm, e.getMessage());
            return Optional.empty();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static void answer(Callback[] callbacks, String user, char[] password)
            throws UnsupportedCallbackException {
        for (Callback cb : callbacks) {
            if (cb instanceof NameCallback name) {
                name.setName(user);
            } else if (cb instanceof PasswordCallback pw) {
                pw.setPassword(password);
            } else {
                throw new UnsupportedCallbackException(cb);
            }
        }
    }
}
