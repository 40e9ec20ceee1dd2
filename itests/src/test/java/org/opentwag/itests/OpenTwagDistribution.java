package org.opentwag.itests;

import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.replaceConfigurationFile;

import java.io.File;

import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption;

/**
 * How every integration test boots OpenTWAG: the distribution this build produced, unpacked under target/exam, with
 * the ports moved off the standard ones so a server running on this machine is not disturbed.
 */
public final class OpenTwagDistribution {

    /** Test ports on loopback. */
    public static final int AUTH_PORT = 21812;
    public static final int ACCT_PORT = 21813;
    public static final int METRICS_PORT = 29568;
    public static final int DIAMETER_PORT = 23868;
    public static final int HSS_PORT = 23869;
    public static final String SECRET = "opentwag-test-secret";
    /** Where the test plays an access point's Dynamic Authorization Server (RFC 5176). */
    public static final int DAS_PORT = 23799;
    /** The embedded OCS simulator's Gy port (the TWAG's peer-ocs points at it). */
    public static final int OCS_PORT = 23871;
    /** Pax Web's plain HTTP port (the Felix Web Console when installed). */
    public static final int HTTP_PORT = 28181;
    /** Pax Web's HTTPS port: the dashboard and REST API. */
    public static final int HTTPS_PORT = 28444;

    private OpenTwagDistribution() {
    }

    public static Option[] options() {
        String version = System.getProperty("project.version");
        String repo = System.getProperty("maven.repo.local");
        return new Option[]{
                karafDistributionConfiguration()
                        .frameworkUrl(maven().groupId("org.opentwag").artifactId("opentwag-distribution")
                                .version(version).type("tar.gz"))
                        .unpackDirectory(new File("target/exam"))
                        .useDeployFolder(false),
                keepRuntimeFolder(),
                configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
                logLevel(LogLevelOption.LogLevel.INFO),
                // Pax Exam provisions its own probe bundles from the build's Maven repository.
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository", repo),
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.offline", "true"),
                editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", "28101"),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", "21099"),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerPort", "24444"),
                // The distribution serves HTTPS only; tests of the Felix Web Console turn plain HTTP on.
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.enabled", "true"),
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", String.valueOf(HTTP_PORT)),
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port.secure", String.valueOf(HTTPS_PORT)),
                editConfigurationFilePut("etc/org.opentwag.metrics.cfg", "port", String.valueOf(METRICS_PORT)),
                editConfigurationFilePut("etc/org.opentwag.metrics.cfg", "bindAddress", "127.0.0.1"),
                editConfigurationFilePut("etc/org.opentwag.radius.cfg", "bindAddress", "127.0.0.1"),
                editConfigurationFilePut("etc/org.opentwag.radius.cfg", "authPort", String.valueOf(AUTH_PORT)),
                editConfigurationFilePut("etc/org.opentwag.radius.cfg", "acctPort", String.valueOf(ACCT_PORT)),
                editConfigurationFilePut("etc/org.opentwag.radius.client-default.cfg", "secret", SECRET),
                editConfigurationFilePut("etc/org.opentwag.radius.client-default.cfg", "subnets", "127.0.0.1/32"),
                editConfigurationFilePut("etc/org.opentwag.radius.client-default.cfg", "dasPort", String.valueOf(DAS_PORT)),
                editConfigurationFilePut("etc/org.opentwag.diameter.cfg", "listenPort", String.valueOf(DIAMETER_PORT)),
                editConfigurationFilePut("etc/org.opentwag.hsssim.cfg", "listenPort", String.valueOf(HSS_PORT)),
                editConfigurationFilePut("etc/org.opentwag.diameter.peer-hss.cfg", "port", String.valueOf(HSS_PORT)),
                editConfigurationFilePut("etc/org.opentwag.ocssim.cfg", "listenPort", String.valueOf(OCS_PORT)),
                editConfigurationFilePut("etc/org.opentwag.diameter.peer-ocs.cfg", "port", String.valueOf(OCS_PORT)),
                replaceConfigurationFile("etc/hss-subscribers.csv", new File("src/test/resources/hss-subscribers.csv")),
                systemProperty("opentwag.tools").value(System.getProperty("opentwag.tools")),
                // The project's docs/, for tests that check what the documentation promises (e.g. the dashboard).
                systemProperty("opentwag.docs").value(new File("../docs").getAbsolutePath()),
        };
    }
}
