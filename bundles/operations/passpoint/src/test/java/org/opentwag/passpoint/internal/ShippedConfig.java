package org.opentwag.passpoint.internal;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** The distribution's default configuration files (top-level etc/), read as Config Admin would. */
final class ShippedConfig {

    static final Path ETC = Path.of(System.getProperty("opentwag.etc.dir", "../../../etc"));

    private ShippedConfig() {
    }

    static Map<String, ?> read(String pid) {
        Path file = ETC.resolve(pid + ".cfg");
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file.toAbsolutePath(), e);
        }
        Map<String, Object> m = new HashMap<>();
        p.forEach((k, v) -> m.put((String) k, v));
        return m;
    }

    static ProfileAssembler.Sources sources() {
        return new ProfileAssembler.Sources(read("org.opentwag.passpoint"), read("org.opentwag.radius"),
                List.of(read("org.opentwag.radius.client-default")), read("org.opentwag.diameter"),
                read("org.opentwag.swx"), read("org.opentwag.eap.aka"));
    }
}
