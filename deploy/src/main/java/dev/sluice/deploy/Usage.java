package dev.sluice.deploy;

import dev.sluice.deploy.cli.ForgetCli;
import dev.sluice.deploy.cli.ReplayCli;
import dev.sluice.deploy.cli.RewrapKeysCli;
import java.util.List;
import java.util.Optional;

/**
 * What {@code ./sluice help} and {@code ./sluice <command> --help} print: one text per command, and the general text
 * listing them all, built from the same entries so the two never disagree.
 */
final class Usage {
  /** One command: its name, its arguments, a one-line summary, and the longer text of its own help. */
  record Entry(String name, String arguments, String summary, String details) {}

  private static final String COMMON_OPTIONS = """
      Options:
        --config FILE  a properties file (default: $SLUICE_CONFIG); environment variables win over it
        -h, --help     this text
      """;

  static final List<Entry> COMMANDS = List.of(
      new Entry("dev", "[--config FILE] [--fresh]",
          "everything on one machine: Kafka, DynamoDB Local, ElasticMQ, gateway, console, demo consumer", """
          Starts Kafka (KRaft), DynamoDB Local and ElasticMQ in this process, with their data under
          <sluice.dev.dir>/data, then the gateway, the redrive console and the demo consumer catalog-builder, and
          prints what runs where. Runs until SIGTERM or Ctrl-C, then stops everything in order.

            --fresh        wipe the engines' data first
          """),
      new Entry("gateway", "[--config FILE]", "only the HTTP ingress (needs Kafka)", """
          Runs the gateway: CloudEvents ingest, the schema registry API, /metrics and /health, against the Kafka
          cluster that sluice.kafka.* names (sluice.dev.kafka.port on this machine by default).
          """),
      new Entry("console", "[--config FILE]", "only the redrive console (needs DynamoDB and SQS)", """
          Runs the redrive console: the web page and /api/v1, against the DynamoDB and SQS that sluice.aws.*
          names (DynamoDB Local and ElasticMQ on this machine by default).
          """),
      new Entry("demo", "[--config FILE]", "only the demo consumer catalog-builder (needs Kafka, DynamoDB, SQS)", """
          Runs the demo consumer catalog-builder, a wrapped consumer of the retail stream that keeps a product
          catalog view in DynamoDB and serves it over HTTP.
          """),
      new Entry("kafka", "[--config FILE] [--fresh]", "only the Kafka broker (KRaft, single node)", """
          Runs a single-node Kafka broker (KRaft) on sluice.dev.kafka.port, with its data under
          <sluice.dev.dir>/data/kafka.

            --fresh        wipe its data first
          """),
      new Entry("dynamodb", "[--config FILE] [--fresh]", "only DynamoDB Local", """
          Runs DynamoDB Local on sluice.dev.dynamodb.port, with its data under <sluice.dev.dir>/data/dynamodb.

            --fresh        wipe its data first
          """),
      new Entry("sqs", "[--config FILE]", "only ElasticMQ (the SQS API)", """
          Runs ElasticMQ, which speaks the SQS API, on sluice.dev.sqs.port; its queues live in memory.
          """),
      new Entry("init", "[--config FILE]", "creates what Sluice needs where the config points, then exits", """
          Creates, idempotently, what Sluice needs where the config points (a real cluster and AWS with
          sluice.kafka.* and sluice.aws.target=aws): the registry and stream topics, the DynamoDB tables with
          their indexes and TTL, and each group's SQS queues with their dead-letter queues. Prints created /
          exists / updated for each resource. Exit status 0 when everything is as wanted afterwards, 1 when a
          step failed.
          """),
      new Entry("rewrap-keys", "[--config FILE] [--yes]",
          "moves the stream keys to the KEK sluice.crypto.kek from sluice.crypto.kek.previous, then exits",
          RewrapKeysCli.DETAILS),
      new Entry("hash-key", "NAME", "prints the config lines for an API key read from standard input", """
          Reads an API key token (at least 16 characters) from standard input and prints the config lines that
          grant it; only its SHA-256 is ever stored. The token never appears on the command line:

            echo -n "$TOKEN" | ./sluice hash-key NAME      (NAME: letters, digits, '_' or '-')
          """),
      new Entry("hash-password", "NAME [viewer|operator|admin]",
          "prints the config lines for a console user whose password is read from standard input", """
          Reads a console user's password (at least 12 characters) from standard input and prints the config
          lines for that user; only a PBKDF2 hash is stored. The role defaults to operator:

            echo -n "$PASSWORD" | ./sluice hash-password NAME [viewer|operator|admin]
          """),
      new Entry("replay", "start|list|show|cancel [options]",
          "replays of a stream's history to a new consumer group, through the console API", ReplayCli.details()),
      new Entry("forget", ForgetCli.ARGUMENTS,
          "forgets a data subject (deletes its key: its sealed values read as erased), through the console API",
          ForgetCli.DETAILS),
      new Entry("load", "steady|ramp|invalid|poison|redrive [options]",
          "load tests against a running ./sluice dev (see ./sluice load --help)", ""),
      new Entry("bench", "[--quick] [options]",
          "every benchmark suite, one table of ratios against their targets (see ./sluice bench --help)", ""),
      new Entry("help", "[COMMAND]", "this text, or a command's own", ""));

  private Usage() {}

  static Optional<Entry> of(String name) {
    return COMMANDS.stream().filter(e -> e.name().equals(name)).findFirst();
  }

  /** The general text: every command with its summary, the options, and where the configuration keys are. */
  static String general() {
    StringBuilder out = new StringBuilder("Usage: ./sluice <command> [arguments]   (./sluice <command> --help for "
        + "its own)\n\nCommands:\n");
    for (Entry e : COMMANDS) {
      out.append(String.format("  %-14s %s%n", e.name(), e.summary()));
    }
    return out.append('\n').append(COMMON_OPTIONS).append("""

        Configuration keys (environment: upper case, dots as underscores, e.g. SLUICE_DEV_KAFKA_PORT):
          sluice.dev.dir                     .sluice
          sluice.dev.kafka.port              9092
          sluice.dev.kafka.controller.port   9093
          sluice.dev.dynamodb.port           8000
          sluice.dev.sqs.port                9324
          sluice.kafka.*                     Kafka client properties, e.g. sluice.kafka.bootstrap.servers
          (docs/configuration.md lists every key: gateway, console, demo, AWS)
        """).toString();
  }

  /** One command's own text. */
  static String of(Entry e) {
    boolean takesConfig = e.arguments().contains("--config");
    String summary = Character.toUpperCase(e.summary().charAt(0)) + e.summary().substring(1);
    return "Usage: ./sluice " + e.name() + " " + e.arguments() + "\n\n" + summary + ".\n\n" + e.details()
        + (takesConfig ? "\n" + COMMON_OPTIONS : "");
  }
}
