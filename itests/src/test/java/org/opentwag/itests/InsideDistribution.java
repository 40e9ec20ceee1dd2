package org.opentwag.itests;

import org.junit.Before;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;

/**
 * A test that runs inside the distribution (Pax Exam), booted as {@link OpenTwagDistribution#options()} says. The tests
 * of a class share one container (PerSuite; failsafe runs each class as a suite of its own), so each test uses
 * subscribers and peers the class's other tests do not.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public abstract class InsideDistribution {

    @Configuration
    public Option[] config() {
        return OpenTwagDistribution.options();
    }

    /**
     * A test that logs in: each test starts when the SWx and Gy links are open and the EAP methods bound (a boot
     * needs a moment for CER/CEA, an earlier test may have restarted a peer, and online charging rightly refuses a
     * login while the OCS is unreachable).
     */
    public abstract static class WithLinksOpen extends InsideDistribution {

        @Before
        public void diameterLinksAreOpen() throws Exception {
            Metrics.awaitLinks();
        }
    }
}
