package org.opentwag.itests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * One of our bundles as a release: the jar the distribution ships (under system/, where its feature repository points),
 * or another release of it built at test time. The other release differs in code and in version: its {@code Release}
 * class (each upgradable bundle logs {@code Release.code()} with its version when its component activates) is
 * compiled afresh with another answer, and its Bundle-Version is raised, so a log line proves which code runs.
 */
record BundleRelease(String symbolicName, String artifactId, String mavenVersion, String bundleVersion, Path jar,
                     String code) {

    /** The line the bundle's component logs when it activates. */
    String activationLine() {
        return symbolicName + " " + bundleVersion + " active, code " + code;
    }

    /** This bundle's activation lines in the node's logs ("<symbolic name> <version> active, code <code>"). */
    static List<String> activations(StandaloneDistribution node, String symbolicName) throws IOException {
        return node.logLines(x -> x.contains("| " + symbolicName + " ") && x.contains(" active, code "));
    }

    /** The message of the bundle's last activation line, or "" if it has none. */
    static String lastActivation(StandaloneDistribution node, String symbolicName) throws IOException {
        List<String> lines = activations(node, symbolicName);
        if (lines.isEmpty()) {
            return "";
        }
        String line = lines.get(lines.size() - 1);
        return line.substring(line.lastIndexOf("| " + symbolicName + " ") + 2);
    }

    /**
     * Waits (bounded) until the bundle has activated more than {@code before} times on the node and its last
     * activation line is this release's: this release's code is what runs there now.
     */
    void awaitRunning(StandaloneDistribution node, int before) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (activations(node, symbolicName).size() <= before
                || !lastActivation(node, symbolicName).equals(activationLine())) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the last activation of " + symbolicName + " in " + node.home() + " is \""
                        + lastActivation(node, symbolicName) + "\", not \"" + activationLine() + "\"");
            }
            Thread.sleep(100);
        }
    }

    /** The shipped release, as the features repository names it: what an operator goes back to. */
    String mavenUrl() {
        return "mvn:org.opentwag/" + artifactId + "/" + mavenVersion;
    }

    String fileUrl() {
        return jar.toUri().toString();
    }

    /** The jar of an installation's system/ folder. */
    static BundleRelease shipped(Path home, String artifactId) throws IOException {
        Path dir = home.resolve("system/org/opentwag").resolve(artifactId);
        Path version;
        try (Stream<Path> versions = Files.list(dir)) {
            version = versions.findFirst().orElseThrow(() -> new AssertionError("no " + artifactId + " in " + dir));
        }
        String mavenVersion = version.getFileName().toString();
        Path jar = version.resolve(artifactId + "-" + mavenVersion + ".jar");
        try (JarFile j = new JarFile(jar.toFile())) {
            Attributes a = j.getManifest().getMainAttributes();
            return new BundleRelease(a.getValue("Bundle-SymbolicName").split(";")[0].trim(), artifactId, mavenVersion,
                    a.getValue("Bundle-Version"), jar, releasePackage(j) == null ? "version release" : "release");
        }
    }

    /** The package of the bundle's {@code Release} class, or null when it has none. */
    private static String releasePackage(JarFile j) {
        return j.stream().map(JarEntry::getName).filter(n -> n.endsWith("/Release.class"))
                .map(n -> n.substring(0, n.length() - "/Release.class".length()).replace('/', '.'))
                .findFirst().orElse(null);
    }

    /** Whether this is the release the distribution ships (named by its features repository). */
    boolean isShipped() {
        return code.equals("release") || code.equals("version release");
    }

    /**
     * Another release of this bundle, told apart by {@code newCode}: {@link #rebuild} when it has a {@code Release}
     * class, {@link #rebuildVersion} otherwise.
     */
    BundleRelease next(String newCode, Path dir) throws IOException {
        String pkg;
        try (JarFile j = new JarFile(jar.toFile())) {
            pkg = releasePackage(j);
        }
        return pkg == null ? rebuildVersion(newCode, dir) : rebuild(pkg, newCode, dir);
    }

    /** Whether the bundle has a {@code Release} class whose answer its component logs at activation. */
    boolean logsActivation() {
        return !code.startsWith("version ");
    }

    /**
     * Another release of a bundle without a {@code Release} class (a codec, the API, the state store...): the same
     * classes, its micro version raised (qualifier "upgrade") and the code word in an {@code OpenTWAG-Release} header.
     * What runs is then told by the bundle's version in {@code bundle:list} (after a refresh, no other revision of it
     * is left for its dependants to use).
     */
    BundleRelease rebuildVersion(String newCode, Path dir) throws IOException {
        String newVersion = nextVersion();
        Path out = dir.resolve(artifactId + "-" + newVersion + ".jar");
        copy(out, Map.of("Bundle-Version", newVersion, "OpenTWAG-Release", newCode), null, null);
        return new BundleRelease(symbolicName, artifactId, mavenVersion, newVersion, out, "version " + newCode);
    }

    private String nextVersion() {
        String[] v = bundleVersion.split("\\.");
        return v[0] + "." + v[1] + "." + (Integer.parseInt(v[2]) + 1) + ".upgrade";
    }

    /**
     * Another release of this bundle: its {@code <releasePackage>.Release} recompiled to answer {@code code}, and its
     * micro version raised (qualifier "upgrade"), written to {@code dir}.
     */
    BundleRelease rebuild(String releasePackage, String newCode, Path dir) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new AssertionError("no Java compiler in this JVM: the ITs need a JDK, not a JRE");
        }
        Path src = Files.createDirectories(dir.resolve("src-" + artifactId));
        Path classes = Files.createDirectories(dir.resolve("classes-" + artifactId));
        Path source = src.resolve("Release.java");
        Files.writeString(source, "package " + releasePackage + ";\n"
                + "final class Release {\n"
                + "    private Release() {\n    }\n"
                + "    static String code() {\n        return \"" + newCode + "\";\n    }\n"
                + "}\n");
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int rc = javac.run(null, errors, errors, "--release", "17", "-d", classes.toString(), source.toString());
        if (rc != 0) {
            throw new AssertionError("javac Release.java: " + errors.toString(StandardCharsets.UTF_8));
        }
        String entryName = releasePackage.replace('.', '/') + "/Release.class";
        byte[] newClass = Files.readAllBytes(classes.resolve(entryName));

        String newVersion = nextVersion();
        Path out = dir.resolve(artifactId + "-" + newVersion + ".jar");
        if (!copy(out, Map.of("Bundle-Version", newVersion), entryName, newClass)) {
            throw new AssertionError(jar + " has no " + entryName + " to replace");
        }
        return new BundleRelease(symbolicName, artifactId, mavenVersion, newVersion, out, newCode);
    }

    /**
     * Writes this bundle's jar again to {@code out}: its manifest with {@code attributes} set, every entry as it is
     * but {@code replacedEntry} (when not null), whose bytes become {@code replacement}, which must differ from them.
     * Returns whether the jar had {@code replacedEntry}.
     */
    private boolean copy(Path out, Map<String, String> attributes, String replacedEntry, byte[] replacement)
            throws IOException {
        boolean replaced = false;
        try (JarFile in = new JarFile(jar.toFile())) {
            Manifest manifest = new Manifest(in.getManifest());
            attributes.forEach(manifest.getMainAttributes()::putValue);
            try (OutputStream os = Files.newOutputStream(out); JarOutputStream jos = new JarOutputStream(os, manifest)) {
                for (Enumeration<JarEntry> e = in.entries(); e.hasMoreElements(); ) {
                    JarEntry entry = e.nextElement();
                    if (entry.getName().equalsIgnoreCase(JarFile.MANIFEST_NAME)) {
                        continue;
                    }
                    jos.putNextEntry(new JarEntry(entry.getName()));
                    if (entry.getName().equals(replacedEntry)) {
                        try (InputStream old = in.getInputStream(entry)) {
                            if (Arrays.equals(old.readAllBytes(), replacement)) {
                                throw new AssertionError("the rebuilt " + replacedEntry + " is the shipped one");
                            }
                        }
                        jos.write(replacement);
                        replaced = true;
                    } else if (!entry.isDirectory()) {
                        try (InputStream data = in.getInputStream(entry)) {
                            data.transferTo(jos);
                        }
                    }
                    jos.closeEntry();
                }
            }
        }
        return replaced;
    }
}
