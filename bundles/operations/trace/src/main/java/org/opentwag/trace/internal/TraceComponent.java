package org.opentwag.trace.internal;

import java.util.List;
import java.util.function.Consumer;

import org.opentwag.api.accounting.AccountingListener;
import org.opentwag.api.accounting.AccountingRecord;
import org.opentwag.api.accounting.AccountingStatus;
import org.opentwag.api.eap.NasContext;
import org.opentwag.api.trace.AccessPointOutcomes;
import org.opentwag.api.trace.AuthAttempt;
import org.opentwag.api.trace.Rejection;
import org.opentwag.api.trace.SubscriberTrace;
import org.opentwag.api.trace.TraceStep;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The subscriber trace as OSGi sees it: {@link SubscriberTrace} for the EAP engine, the shell and the dashboard, and
 * an {@link AccountingListener} that adds each admitted subscriber's accounting Start and Stop to its trace.
 */
@Component(service = {SubscriberTrace.class, AccountingListener.class}, configurationPid = TraceComponent.PID)
@Designate(ocd = TraceComponent.Config.class)
public class TraceComponent implements SubscriberTrace, AccountingListener {

    static final String PID = "org.opentwag.trace";

    @ObjectClassDefinition(name = "OpenTWAG subscriber trace")
    public @interface Config {
        @AttributeDefinition(description = "Subscribers listed, most recently seen first; also the most attempts in"
                + " progress kept (the oldest is journalled as in progress)")
        int maxSubscribers() default 10_000;

        @AttributeDefinition(description = "Attempts shown per subscriber, newest first")
        int attemptsPerSubscriber() default 10;

        @AttributeDefinition(description = "Memory for finished attempts and accounting steps, in MiB, the oldest"
                + " overwritten first (an attempt takes about 0.5-1 KiB)")
        int journalMegabytes() default 32;

        @AttributeDefinition(description = "Access points whose accept/reject counts are kept")
        int maxAccessPoints() default 10_000;
    }

    private TraceBook book;

    @Activate
    void activate(Config config) {
        book = new TraceBook(config.maxSubscribers(), config.attemptsPerSubscriber(), config.maxAccessPoints(),
                (int) Math.min(1024L, Math.max(1, config.journalMegabytes())) * 1024 * 1024);
    }

    @Override
    public void recorded(AccountingRecord r) {
        if (r.status() != AccountingStatus.START && r.status() != AccountingStatus.STOP) {
            return;
        }
        TraceStep.Kind kind = r.status() == AccountingStatus.START ? TraceStep.Kind.ACCOUNTING_START
                : TraceStep.Kind.ACCOUNTING_STOP;
        String detail = "Accounting " + r.status().rfcName() + " from " + r.nasIp() + ", Acct-Session-Id "
                + r.acctSessionId() + (r.status() == AccountingStatus.STOP && r.usage() != null
                ? ", " + r.usage().inputOctets() + " octets up, " + r.usage().outputOctets() + " down" : "");
        book.accounting(r.imsi(), r.userName(), new TraceStep(r.receivedAtMillis(), kind, detail));
    }

    @Override public void started(String attemptId, String identity, NasContext nas, long atMillis) {
        book.started(attemptId, identity, nas, atMillis);
    }
    @Override public void imsi(String attemptId, String imsi) { book.imsi(attemptId, imsi); }
    @Override public void method(String attemptId, String method) { book.method(attemptId, method); }
    @Override public void step(String attemptId, TraceStep step) { book.step(attemptId, step); }
    @Override public void accepted(String attemptId, long atMillis) { book.accepted(attemptId, atMillis); }
    @Override public void rejected(String attemptId, Rejection rejection, long atMillis) {
        book.rejected(attemptId, rejection, atMillis);
    }
    @Override public void accounting(String imsi, String identity, TraceStep step) {
        book.accounting(imsi, identity, step);
    }
    @Override public List<AuthAttempt> attempts(String imsiOrIdentity) { return book.attempts(imsiOrIdentity); }
    @Override public List<String> subscribers() { return book.subscribers(); }
    @Override public List<AccessPointOutcomes> accessPoints() { return book.accessPoints(); }
    @Override public AutoCloseable follow(String imsiOrIdentity, Consumer<AuthAttempt> listener) {
        return book.follow(imsiOrIdentity, listener);
    }
}
