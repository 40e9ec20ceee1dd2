package org.opentwag.shell;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.apache.karaf.shell.support.table.ShellTable;
import org.opentwag.api.eap.ImsiPrivacy;

/**
 * IMSI privacy as the operator publishes it: the keys in force, a key's certificate and key identifier, the Android
 * carrier-key document, and generating or importing a key pair (stored under etc/, added to
 * etc/org.opentwag.eap.privacy.cfg). Private keys are never printed.
 */
@Command(scope = "twag", name = "privacy", description = "IMSI privacy keys: list, certificate NAME, carrier-keys, "
        + "[--bits N --days N] generate NAME, --key FILE --certificate FILE import NAME")
@Service
public class PrivacyCommand implements Action {

    @Reference
    private ImsiPrivacy privacy;

    @Argument(index = 0, name = "action", description = "list | certificate | carrier-keys | generate | import",
            required = false)
    @Completion(value = StringsCompleter.class, values = {"list", "certificate", "carrier-keys", "generate", "import"})
    private String action = "list";

    @Argument(index = 1, name = "name", description = "the key's name (certificate, generate, import)",
            required = false)
    @Completion(PrivacyKeyCompleter.class)
    private String name;

    @Option(name = "--bits", description = "RSA modulus size of a generated key (2048 or more)")
    private int bits = 2048;

    @Option(name = "--days", description = "validity of a generated certificate in days")
    private int days = 730;

    @Option(name = "--identifier", description = "key identifier phones send (default CertificateSerialNumber=<serial>)")
    private String identifier;

    @Option(name = "--key", description = "import: PKCS#8 PEM private key file")
    private String keyFile;

    @Option(name = "--certificate", description = "import: PEM certificate file")
    private String certificateFile;

    @Override
    public Object execute() throws Exception {
        switch (action) {
            case "list" -> list();
            case "certificate" -> System.out.print(key(required()).certificatePem());
            case "carrier-keys" -> System.out.print(privacy.carrierKeysJson());
            case "generate" -> show(privacy.generate(required(), bits, days, identifier));
            case "import" -> {
                if (keyFile == null || certificateFile == null) {
                    throw new IllegalArgumentException("import needs --key FILE and --certificate FILE");
                }
                show(privacy.importKey(required(), Files.readString(Path.of(keyFile), StandardCharsets.US_ASCII),
                        Files.readString(Path.of(certificateFile), StandardCharsets.US_ASCII), identifier));
            }
            default -> throw new IllegalArgumentException("unknown action " + action
                    + " (list, certificate, carrier-keys, generate, import)");
        }
        return null;
    }

    private String required() {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(action + " needs a key name");
        }
        return name;
    }

    private ImsiPrivacy.Key key(String n) {
        return privacy.keys().stream().filter(k -> k.name().equals(n)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no IMSI privacy key named " + n));
    }

    private void list() {
        ShellTable table = new ShellTable();
        table.column("NAME");
        table.column("KEY IDENTIFIER");
        table.column("BITS");
        table.column("NOT AFTER");
        table.column("PUBLISHED");
        table.column("SHA-256");
        for (ImsiPrivacy.Key k : privacy.keys()) {
            table.addRow().addContent(k.name(), k.keyIdentifier(), k.bits(), k.notAfter(), k.published(), k.sha256());
        }
        table.print(System.out);
    }

    private static void show(ImsiPrivacy.Key k) {
        System.out.println("key " + k.name() + ": " + k.bits() + " bits, key identifier " + k.keyIdentifier()
                + ", valid until " + k.notAfter() + ", certificate SHA-256 " + k.sha256());
        System.out.print(k.certificatePem());
    }
}
