package dev.sluice.deploy.cli;

import dev.sluice.crypto.CryptoSettings;
import dev.sluice.crypto.kek.Kek;
import dev.sluice.crypto.keys.KeyRewrap;
import dev.sluice.crypto.keys.KeyRing;
import dev.sluice.crypto.keys.KeyTable;
import dev.sluice.deploy.config.SluiceConfig;
import dev.sluice.quarantine.aws.AwsClients;
import dev.sluice.storekit.dynamo.WorkerTable;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code ./sluice rewrap-keys [--config FILE] [--yes]}: moves the stream keys to the KEK {@code sluice.crypto.kek}
 * names from the one {@code sluice.crypto.kek.previous} names ({@link KeyRewrap}), straight against the key table and
 * both KEKs, as {@code ./sluice init} works against AWS. Without {@code --yes} it only says what it would move (it still
 * unwraps and wraps each row, so a KEK that cannot be used shows up before anything is written).
 *
 * <p>Exit status: 0 every row is (or would be) under the KEK; 1 some row failed or changed meanwhile (run it again);
 * 2 no KEK is configured.
 */
public final class RewrapKeysCli {
  public static final int OK = 0;
  public static final int INCOMPLETE = 1;
  public static final int USAGE = 2;

  /** What {@code ./sluice rewrap-keys --help} says after its usage line. */
  public static final String DETAILS = """
      Moves the stream keys to another key-encryption key (KEK): every stream key row of the key table that
      another KEK wrapped is unwrapped with sluice.crypto.kek.previous (or sluice.crypto.kek), wrapped again
      with sluice.crypto.kek, checked, and written back if the row is still as it was read. No subject key and
      no sealed value changes: one small row per stream is re-encrypted, and no data. Safe to run again, and
      while Sluice runs; run it after every part runs with both settings (docs/encryption.md).

        --yes          write; without it only says what it would move (it still calls both KEKs)

      Exit status 0 when every row is (or would be) under sluice.crypto.kek, 1 when a row failed or changed
      meanwhile (run it again), 2 when no KEK is configured.
      """;

  private RewrapKeysCli() {}

  /** Runs it; answers the exit status. Blocking. */
  public static int run(SluiceConfig config, boolean apply, PrintStream out, PrintStream err) {
    Optional<CryptoSettings> crypto = config.crypto();
    if (crypto.isEmpty()) {
      err.println("sluice rewrap-keys: no key-encryption key is configured (sluice.crypto.kek)");
      return USAGE;
    }
    CryptoSettings settings = crypto.get();
    out.println("sluice rewrap-keys: key table " + settings.keysTable() + ", KEK " + settings.kekUri()
        + settings.previousKekUri().map(p -> ", previous KEK " + p).orElse(", no previous KEK")
        + (apply ? "" : " (a dry run: nothing is written; add --yes to move)"));
    Vertx vertx = Vertx.vertx();
    try (DynamoDbClient dynamo = AwsClients.dynamo(config.aws())) {
      Kek kek = KeyRing.openKek(settings, dynamo);
      try {
        KeyTable table = new KeyTable(new WorkerTable(vertx, dynamo, settings.keysTable(), Clock.systemUTC()),
            settings.keyCalls().timeout());
        KeyRewrap.Report report = new KeyRewrap(table, kek, Clock.systemUTC()).run(apply);
        print(report, out);
        return report.complete() ? OK : INCOMPLETE;
      } finally {
        if (kek instanceof AutoCloseable closeable) {
          closeable.close();
        }
      }
    } catch (Exception e) {
      err.println("sluice rewrap-keys failed: " + e.getMessage());
      return INCOMPLETE;
    } finally {
      vertx.close();
    }
  }

  private static void print(KeyRewrap.Report report, PrintStream out) {
    for (KeyRewrap.Outcome o : report.outcomes()) {
      String line = switch (o.kind()) {
        case MOVED -> "moved            " + o.stream() + "  (was " + o.fromKek() + ")";
        case WOULD_MOVE -> "would move       " + o.stream() + "  (now " + o.fromKek() + ")";
        case ALREADY -> "already          " + o.stream();
        case CHANGED_MEANWHILE -> "changed meanwhile " + o.stream() + "  (run again)";
        case FAILED -> "FAILED           " + o.stream() + "  " + o.detail();
      };
      out.println("  " + line);
    }
    out.println("rewrap-keys: " + report.count(KeyRewrap.Kind.MOVED) + " moved, "
        + report.count(KeyRewrap.Kind.WOULD_MOVE) + " to move, " + report.count(KeyRewrap.Kind.ALREADY)
        + " already under the KEK, " + report.count(KeyRewrap.Kind.CHANGED_MEANWHILE) + " changed meanwhile, "
        + report.count(KeyRewrap.Kind.FAILED) + " failed");
  }
}
