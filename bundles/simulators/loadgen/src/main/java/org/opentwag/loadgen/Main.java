package org.opentwag.loadgen;

/**
 * {@code java -jar loadgen-*-jar-with-dependencies.jar --server 127.0.0.1:1812 --secret S --rate 2000 --duration 30}.
 * Exit status 0 when every started authentication succeeded (and every accounting request was answered), 1 when some
 * failed or timed out, 2 on a usage error.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        LoadOptions options;
        try {
            options = LoadOptions.parse(args).validate();
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            if (!e.getMessage().startsWith("OpenTWAG load generator")) {
                System.err.print(LoadOptions.usage());
            }
            System.exit(2);
            return;
        }
        LoadGenerator generator = new LoadGenerator(options, System.out);
        Runtime.getRuntime().addShutdownHook(new Thread(generator::stop));
        LoadGenerator.Result r = generator.run();
        System.out.flush();
        System.exit(r == null || (r.failed() == 0 && r.timeouts() == 0 && r.accountingFailed() == 0) ? 0 : 1);
    }
}
