package dev.sluice.deploy;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import dev.sluice.deploy.cli.ForgetCli;
import dev.sluice.deploy.cli.ReplayCli;
import dev.sluice.deploy.cli.RewrapKeysCli;
import dev.sluice.deploy.config.ConfigException;
import dev.sluice.deploy.config.ConfigLoader;
import dev.sluice.deploy.config.EngineConfig;
import dev.sluice.deploy.config.Part;
import dev.sluice.deploy.config.RawConfig;
import dev.sluice.deploy.config.SluiceConfig;
import dev.sluice.deploy.engine.DataDirs;
import dev.sluice.deploy.engine.EmbeddedDynamoDb;
import dev.sluice.deploy.engine.EmbeddedKafka;
import dev.sluice.deploy.engine.EmbeddedSqs;
import dev.sluice.deploy.engine.Endpoint;
import org.apache.logging.log4j.LogManager;

/**
 * {@code java -jar sluice.jar <command> [--config FILE] [--fresh]}: runs one part of Sluice, or all of it, in this
 * process until SIGTERM or Ctrl-C, then stops it cleanly.
 */
public final class Main {
    static final int EXIT_USAGE = 2;
    static final int EXIT_START_FAILED = 1;
    static final String DEV_USERS_KEY = "sluice.console.dev.users";

    static {
        // Before anything touches java.util.logging: route JUL (Jetty, DynamoDB Local's helpers) to log4j2.
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", "org.apache.logging.log4j.jul.LogManager");
        }
        // sqlite4java sets JUL levels; the default API adapter refuses that with an ERROR line on every start.
        if (System.getProperty("log4j.jul.LoggerAdapter") == null) {
            System.setProperty("log4j.jul.LoggerAdapter", "org.apache.logging.log4j.jul.CoreLoggerAdapter");
        }
        // Pekko (inside ElasticMQ) would otherwise stop its actor system from its own JVM hook, racing ours; our
        // hook stops every engine in order instead.
        if (System.getProperty("pekko.coordinated-shutdown.run-by-jvm-shutdown-hook") == null) {
            System.setProperty("pekko.coordinated-shutdown.run-by-jvm-shutdown-hook", "off");
        }
    }

    private Main() {
    }

    /** A parsed command line. */
    record Command(String name, String configFile, boolean fresh, boolean yes) {
    }

    public static void main(String[] args) {
        // Always leave through System.exit: DynamoDB Local leaves a non-daemon thread behind even after a clean
        // stop, so returning from main would keep the JVM alive.
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return run(args, env, System.in, out, err);
    }

    static int run(String[] args, Map<String, String> env, java.io.InputStream in, PrintStream out, PrintStream err) {
        // A replay subcommand answers its own --help; `replay --help` alone is the command's text, below.
        if (args.length >= 1 && args[0].equals("replay")
                && !(args.length == 2 && (args[1].equals("-h") || args[1].equals("--help")))) {
            return ReplayCli.run(java.util.Arrays.copyOfRange(args, 1, args.length), env, out, err);
        }
        // So does forget (one command, its own options).
        if (args.length >= 1 && args[0].equals("forget")) {
            return ForgetCli.run(java.util.Arrays.copyOfRange(args, 1, args.length), env, out, err);
        }
        Optional<Integer> helped = help(args, out, err);
        if (helped.isPresent()) {
            return helped.get();
        }
        if (args.length >= 1 && args[0].equals("hash-key")) {
            return hashKey(args, in, out, err);
        }
        if (args.length >= 1 && args[0].equals("hash-password")) {
            return hashPassword(args, in, out, err);
        }
        Command command;
        try {
            command = parse(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.print(Usage.general());
            return EXIT_USAGE;
        }
        SluiceConfig config;
        try {
            Optional<java.nio.file.Path> file = ConfigLoader.configFile(command.configFile(), env);
            RawConfig raw = ConfigLoader.load(file.orElse(null), env);
            if (command.name().equals("dev")) {
                // The documented dev users and tokens (viewer/viewer, dev-operator, ...) exist only in ./sluice dev.
                raw = raw.withDefault(DEV_USERS_KEY, "true", "./sluice dev");
            }
            config = SluiceConfig.from(raw);
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return EXIT_USAGE;
        }
        // Unknown keys are most likely typos; the loader accepts them (other SLUICE_* variables may be set), so warn.
        for (String key : SluiceConfig.unknownKeys(config.raw())) {
            if (!key.equals(ConfigLoader.keyFor(ConfigLoader.CONFIG_FILE_ENV))) {
                err.println("warning: config key " + key + " (" + config.raw().origin(key) + ") is not a Sluice "
                        + "setting; is it misspelt?");
            }
        }
        if (command.name().equals("init")) {
            return init(config, out, err);
        }
        if (command.name().equals("rewrap-keys")) {
            return RewrapKeysCli.run(config, command.yes(), out, err);
        }

        long startNanos = System.nanoTime();
        Running running;
        try {
            running = start(command, config);
        } catch (RuntimeException e) {
            err.println("sluice " + command.name() + " failed to start: " + e.getMessage());
            org.slf4j.LoggerFactory.getLogger(Main.class).debug("Start-up failure", e);
            return EXIT_START_FAILED;
        }
        long upMillis = (System.nanoTime() - startNanos) / 1_000_000;
        out.println(table(command.name(), running.endpoints()));
        out.printf("up in %d ms (%d ms since JVM start). Ctrl-C or SIGTERM stops it.%n", upMillis,
                ManagementFactory.getRuntimeMXBean().getUptime());
        out.flush();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            long stopNanos = System.nanoTime();
            try {
                running.part().close();
                out.printf("stopped in %d ms%n", (System.nanoTime() - stopNanos) / 1_000_000);
            } catch (Exception e) {
                err.println("sluice " + command.name() + " did not stop cleanly: " + e);
            } finally {
                out.flush();
                // log4j2's own shutdown hook is disabled (log4j2.xml) so that the engines' last words get logged.
                LogManager.shutdown();
                stopped.countDown();
            }
        }, "sluice-shutdown"));

        // A signal-initiated shutdown halts the JVM once the hook is done: this wait never returns normally.
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /**
     * Answers a request for help, if this is one: {@code help}, {@code help COMMAND}, or {@code -h}/{@code --help}
     * anywhere, alone or after a command. Help asked for is printed to standard output with status 0; a command line
     * with no command gets the general text on standard error with the usage status.
     */
    static Optional<Integer> help(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println("No command given.");
            err.print(Usage.general());
            return Optional.of(EXIT_USAGE);
        }
        boolean asked = List.of(args).contains("-h") || List.of(args).contains("--help");
        String first = args[0];
        if (first.equals("help") || first.equals("-h") || first.equals("--help")) {
            if (args.length == 1 || args[1].startsWith("-")) {
                out.print(Usage.general());
                return Optional.of(0);
            }
            Optional<Usage.Entry> entry = Usage.of(args[1]);
            if (entry.isEmpty()) {
                err.println("Unknown command: " + args[1]);
                err.print(Usage.general());
                return Optional.of(EXIT_USAGE);
            }
            out.print(Usage.of(entry.get()));
            return Optional.of(0);
        }
        if (asked) {
            Optional<Usage.Entry> entry = Usage.of(first);
            if (entry.isEmpty() && !first.startsWith("-")) {
                err.println("Unknown command: " + first);
                err.print(Usage.general());
                return Optional.of(EXIT_USAGE);
            }
            out.print(entry.map(Usage::of).orElseGet(Usage::general));
            return Optional.of(0);
        }
        return Optional.empty();
    }

    /** Runs {@code sluice init}: 0 when everything exists as wanted afterwards, 1 when a step failed. */
    static int init(SluiceConfig config, PrintStream out, PrintStream err) {
        try {
            dev.sluice.deploy.provision.Init.run(config, out);
            return 0;
        } catch (RuntimeException e) {
            err.println("sluice init failed: " + e.getMessage());
            org.slf4j.LoggerFactory.getLogger(Main.class).debug("init failure", e);
            return EXIT_START_FAILED;
        }
    }

    /**
     * Prints the config lines for a new API key. The token comes from standard input, never from the command line,
     * so it does not end up in the shell history or the process list.
     */
    static int hashKey(String[] args, java.io.InputStream in, PrintStream out, PrintStream err) {
        if (args.length != 2 || !args[1].matches("[A-Za-z0-9_-]+")) {
            err.println("Usage: echo -n \"$TOKEN\" | sluice hash-key NAME   (NAME: letters, digits, '_' or '-')");
            return EXIT_USAGE;
        }
        Optional<String> token = secretFromStdin(in, err, "token", 16);
        if (token.isEmpty()) {
            return EXIT_USAGE;
        }
        String p = dev.sluice.gateway.auth.ApiKeys.PREFIX + args[1];
        out.println(p + ".sha256=" + dev.sluice.gateway.auth.ApiKeys.sha256Hex(token.get()));
        out.println(p + ".streams=*");
        out.println(p + ".admin=false");
        out.println(p + ".rate.per.second=1000");
        return 0;
    }

    /**
     * Prints the config lines for a console user. The password comes from standard input, never from the command
     * line, so it does not end up in the shell history or the process list.
     */
    static int hashPassword(String[] args, java.io.InputStream in, PrintStream out, PrintStream err) {
        String usage = "Usage: echo -n \"$PASSWORD\" | sluice hash-password NAME [viewer|operator|admin]"
                + "   (NAME: lower-case letters, digits or '-'; role default operator)";
        if (args.length < 2 || args.length > 3 || !args[1].matches("[a-z0-9][a-z0-9-]{0,63}")) {
            err.println(usage);
            return EXIT_USAGE;
        }
        Optional<dev.sluice.console.auth.Role> role = args.length == 3
                ? dev.sluice.console.auth.Role.parse(args[2]) : Optional.of(dev.sluice.console.auth.Role.OPERATOR);
        if (role.isEmpty()) {
            err.println(usage);
            return EXIT_USAGE;
        }
        Optional<String> password = secretFromStdin(in, err, "password", 12);
        if (password.isEmpty()) {
            return EXIT_USAGE;
        }
        String p = dev.sluice.console.auth.Credentials.USERS + args[1];
        out.println(p + ".password=" + dev.sluice.console.auth.PasswordHash.create(password.get(),
                dev.sluice.console.auth.PasswordHash.DEFAULT_ITERATIONS, new java.security.SecureRandom()).encoded());
        out.println(p + ".role=" + role.get().label());
        return 0;
    }

    /**
     * The {@code what} (a token, a password) piped to standard input: its first 4 KiB, stripped of surrounding white
     * space (a newline from {@code echo} without {@code -n}); empty, after saying why on {@code err}, when it cannot
     * be read or is shorter than {@code minLength}.
     */
    private static Optional<String> secretFromStdin(java.io.InputStream in, PrintStream err, String what,
            int minLength) {
        String secret;
        try {
            secret = new String(in.readNBytes(4096), java.nio.charset.StandardCharsets.UTF_8).strip();
        } catch (java.io.IOException e) {
            err.println("cannot read the " + what + " from standard input: " + e.getMessage());
            return Optional.empty();
        }
        if (secret.length() < minLength) {
            err.println("the " + what + " must be at least " + minLength + " characters (read " + secret.length()
                    + " from standard input)");
            return Optional.empty();
        }
        return Optional.of(secret);
    }

    static Command parse(String[] args) {
        String name = null;
        String configFile = null;
        boolean fresh = false;
        boolean yes = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--fresh" -> fresh = true;
                case "--yes" -> yes = true;
                case "--config" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--config needs a file");
                    }
                    configFile = args[++i];
                }
                default -> {
                    if (arg.startsWith("--config=")) {
                        configFile = arg.substring("--config=".length());
                    } else if (arg.startsWith("-")) {
                        throw new IllegalArgumentException("Unknown option: " + arg);
                    } else if (name == null) {
                        name = arg;
                    } else {
                        throw new IllegalArgumentException("Unexpected argument: " + arg);
                    }
                }
            }
        }
        if (name == null) {
            throw new IllegalArgumentException("No command given.");
        }
        if (!List.of("dev", "gateway", "console", "demo", "kafka", "dynamodb", "sqs", "init", "rewrap-keys")
                .contains(name)) {
            throw new IllegalArgumentException("Unknown command: " + name);
        }
        if (yes && !name.equals("rewrap-keys")) {
            throw new IllegalArgumentException("Unknown option for " + name + ": --yes");
        }
        return new Command(name, configFile, fresh, yes);
    }

    /** What a command started: the part to close on shutdown and the lines of the "what runs where" table. */
    private record Running(AutoCloseable part, List<Endpoint> endpoints) {
    }

    private static Running start(Command command, SluiceConfig config) {
        EngineConfig e = config.engines();
        switch (command.name()) {
            case "dev" -> {
                DevStack stack = DevStack.start(config, command.fresh());
                return new Running(stack, stack.endpoints());
            }
            case "gateway" -> {
                Launcher parts = Launcher.start(config, Set.of(Part.GATEWAY));
                return new Running(parts, parts.endpoints());
            }
            case "console" -> {
                Launcher parts = Launcher.start(config, Set.of(Part.CONSOLE));
                return new Running(parts, parts.endpoints());
            }
            case "demo" -> {
                Launcher parts = Launcher.start(config, Set.of(Part.DEMO));
                return new Running(parts, parts.endpoints());
            }
            case "kafka" -> {
                if (command.fresh()) {
                    DataDirs.wipe(e.kafkaDataDir());
                }
                EmbeddedKafka kafka = EmbeddedKafka.start(e.kafkaDataDir(), e.kafkaPort(), e.kafkaControllerPort());
                return new Running(kafka, List.of(new Endpoint("kafka", kafka.bootstrapServers(),
                        "controller 127.0.0.1:" + e.kafkaControllerPort() + ", data " + e.kafkaDataDir())));
            }
            case "dynamodb" -> {
                if (command.fresh()) {
                    DataDirs.wipe(e.dynamoDbDataDir());
                }
                EmbeddedDynamoDb dynamoDb = EmbeddedDynamoDb.startPersistent(e.dynamoDbDataDir(), e.dynamoDbPort());
                return new Running(dynamoDb, List.of(
                        new Endpoint("dynamodb", dynamoDb.endpoint(), "data " + e.dynamoDbDataDir())));
            }
            case "sqs" -> {
                EmbeddedSqs sqs = EmbeddedSqs.start(e.sqsPort());
                return new Running(sqs, List.of(new Endpoint("sqs", sqs.endpoint(), "in memory")));
            }
            default -> throw new IllegalStateException("unreachable: " + command.name());
        }
    }

    static String table(String title, List<Endpoint> endpoints) {
        int nameWidth = endpoints.stream().mapToInt(ep -> ep.name().length()).max().orElse(0);
        int addressWidth = endpoints.stream().mapToInt(ep -> ep.address().length()).max().orElse(0);
        List<String> lines = new ArrayList<>();
        lines.add("sluice " + title + ":");
        for (Endpoint ep : endpoints) {
            lines.add(String.format("  %-" + nameWidth + "s  %-" + addressWidth + "s  %s", ep.name(), ep.address(),
                    ep.detail()));
        }
        return String.join(System.lineSeparator(), lines);
    }
}
