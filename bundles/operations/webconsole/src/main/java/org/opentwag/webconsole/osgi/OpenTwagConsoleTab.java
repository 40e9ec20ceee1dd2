package org.opentwag.webconsole.osgi;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.opentwag.api.accounting.AccountingQueries;
import org.opentwag.api.state.ClientState;
import org.opentwag.api.session.AccessSessions;
import org.opentwag.webconsole.page.ConsolePage;
import org.opentwag.webconsole.page.ConsoleSnapshot;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * The OpenTWAG tab of the Apache Felix Web Console (Karaf feature {@code webconsole}): a plain servlet with the
 * console's plugin properties, which the console finds by whiteboard and wraps in its frame and login. Services are
 * looked up per request so the tab follows plugins as they come and go.
 */
@Component(service = Servlet.class, property = {
        "felix.webconsole.label=opentwag",
        "felix.webconsole.title=OpenTWAG",
        "felix.webconsole.category=OpenTWAG"})
public class OpenTwagConsoleTab extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final int MAX_ROWS = 500;

    private transient BundleContext context;

    @Activate
    void activate(BundleContext context) {
        this.context = context;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/html;charset=UTF-8");
        response.getWriter().write(ConsolePage.render(snapshot()));
    }

    ConsoleSnapshot snapshot() {
        List<ClientState> clients = with(AccessSessions.class, access -> access.clients().stream().sorted(Comparator.comparingLong(ClientState::lastUpdateMillis).reversed())
                .limit(MAX_ROWS).toList());
        return new ConsoleSnapshot(clients,
                with(AccountingQueries.class, AccountingQueries::accessPoints),
                with(AccountingQueries.class, a -> a.openSessions(MAX_ROWS)),
                DiameterPeers.rows(context),
                System.currentTimeMillis());
    }

    private <S, R> R with(Class<S> type, java.util.function.Function<S, R> read) {
        ServiceReference<S> ref = context.getServiceReference(type);
        if (ref == null) {
            return null;
        }
        S service = context.getService(ref);
        try {
            return service == null ? null : read.apply(service);
        } finally {
            context.ungetService(ref);
        }
    }

    /** Kept apart so the Diameter classes load only when the Diameter stack is installed (optional import). */
    static final class DiameterPeers {
        static List<ConsoleSnapshot.PeerRow> rows(BundleContext context) {
            try {
                ServiceReference<org.opentwag.diameter.stack.DiameterService> ref =
                        context.getServiceReference(org.opentwag.diameter.stack.DiameterService.class);
                if (ref == null) {
                    return null;
                }
                org.opentwag.diameter.stack.DiameterService d = context.getService(ref);
                try {
                    List<ConsoleSnapshot.PeerRow> rows = new ArrayList<>();
                    for (org.opentwag.diameter.stack.PeerInfo p : d.peers()) {
                        rows.add(new ConsoleSnapshot.PeerRow(p.host(), p.realm(), String.valueOf(p.state()),
                                String.valueOf(p.transport()), p.productName()));
                    }
                    return rows;
                } finally {
                    context.ungetService(ref);
                }
            } catch (NoClassDefFoundError notInstalled) {
                return null;
            }
        }
    }
}
