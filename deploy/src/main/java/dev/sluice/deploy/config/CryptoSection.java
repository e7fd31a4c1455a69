package dev.sluice.deploy.config;

import dev.sluice.crypto.CryptoSettings;
import dev.sluice.crypto.CryptoSettings.CacheBound;
import dev.sluice.crypto.CryptoSettings.KeyCalls;
import dev.sluice.crypto.kek.Keks;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The sealing of values schemas mark sensitive ({@code sluice.crypto.*}): where the data subjects' wrapped keys live,
 * which key-encryption key (KEK) wraps them, and how long unwrapped keys stay in memory. Every key is listed in
 * docs/configuration.md.
 *
 * <p>With the local AWS target ({@code ./sluice dev}) the KEK defaults to a Tink keyset under the dev data directory,
 * made on first start and wiped with it by {@code --fresh} (together with DynamoDB Local's copy of the wrapped keys,
 * so the two never disagree). Against real AWS there is no default: a KEK on a disk that may vanish would make every
 * sealed value unreadable, so it must be set on purpose. Without one (or with {@code none}) a process has no key ring
 * and needs no key table: it refuses events of the types that mark values (503 {@code key-unavailable}) rather than
 * append them in the clear, and serves the rest.
 *
 * <p>In production the KEK is a key in AWS KMS, {@code aws-kms://<key or alias ARN>}, called in the ARN's region (at
 * {@code sluice.crypto.kms.endpoint} if set: a VPC endpoint). A malformed ARN is refused here, at start-up, saying which
 * part is wrong; whether the key exists and may be used is only known at the first KMS call.
 *
 * <p>To move to another KEK, every part runs with the new one as {@code sluice.crypto.kek} and the old one as
 * {@code sluice.crypto.kek.previous} (what the old one wrapped still unwraps), then {@code ./sluice rewrap-keys --yes}
 * moves the stream keys, and then the previous KEK can be dropped from the settings.
 */
final class CryptoSection {
  static final String KEK = "sluice.crypto.kek";
  static final String KMS_ENDPOINT = "sluice.crypto.kms.endpoint";
  /** While the stream keys move to another KEK: the one they move from. */
  static final String PREVIOUS_KEK = "sluice.crypto.kek.previous";
  /** The KEK setting that asks for no key ring at all, e.g. for a gateway whose streams carry no marked values. */
  static final String NONE = "none";

  private CryptoSection() {}

  /** The settings, or empty (no key ring) when the KEK is {@code none}, or unset with real AWS as the target. */
  static Optional<CryptoSettings> read(ConfigReader r, EngineConfig dev) {
    Sections.AwsTarget target = r.enumValue("sluice.aws.target", Sections.AwsTarget.class, Sections.AwsTarget.LOCAL);
    Optional<String> kek = r.optionalString(KEK);
    String table = r.string("sluice.crypto.keys.table", CryptoSettings.DEFAULT_KEYS_TABLE);
    CacheBound dek = CryptoSettings.DEFAULT_DEK_CACHE;
    Duration dekTtl = r.duration("sluice.crypto.dek.cache.ttl", dek.ttl());
    long dekMax = r.longValue("sluice.crypto.dek.cache.max", dek.maxEntries(), 1, 10_000_000);
    CacheBound swk = CryptoSettings.DEFAULT_SWK_CACHE;
    Duration swkTtl = r.duration("sluice.crypto.stream-key.cache.ttl", swk.ttl());
    long swkMax = r.longValue("sluice.crypto.stream-key.cache.max", swk.maxEntries(), 1, 10_000_000);
    KeyCalls calls = CryptoSettings.DEFAULT_KEY_CALLS;
    Duration callTimeout = r.duration("sluice.crypto.key-calls.timeout", calls.timeout());
    int callMax = r.integer("sluice.crypto.key-calls.max", calls.max(), 1, 256);
    Optional<URI> kmsEndpoint = r.optionalUri(KMS_ENDPOINT);
    Optional<String> previous = r.optionalString(PREVIOUS_KEK);
    if (kmsEndpoint.isPresent() && !kek.filter(k -> k.startsWith(Keks.AWS_KMS)).isPresent()
        && !previous.filter(k -> k.startsWith(Keks.AWS_KMS)).isPresent()) {
      r.problem(KMS_ENDPOINT + " is set, but neither " + KEK + " nor " + PREVIOUS_KEK + " is an " + Keks.AWS_KMS
          + " key: set both or neither");
    }
    if ((kek.isEmpty() && target != Sections.AwsTarget.LOCAL) || kek.filter(NONE::equals).isPresent()) {
      if (previous.isPresent()) {
        r.problem(PREVIOUS_KEK + " is set, but there is no " + KEK + " to move to");
      }
      return Optional.empty();
    }
    if (previous.isPresent()) {
      try {
        Keks.check(previous.get());
      } catch (IllegalArgumentException e) {
        r.problem(PREVIOUS_KEK + ": " + e.getMessage());
        return Optional.empty();
      }
    }
    if (kek.isPresent()) {
      try {
        Keks.check(kek.get());
      } catch (IllegalArgumentException e) {
        r.problem(KEK + ": " + e.getMessage());
        return Optional.empty();
      }
    }
    Path devData = dev == null ? Path.of(".sluice", "data") : dev.dataDir();
    String kekUri = kek.orElse(Keks.LOCAL + devData.resolve("kek.json"));
    return Optional.ofNullable(r.build("sluice.crypto", () -> new CryptoSettings(table, kekUri,
        new CacheBound(dekTtl, dekMax), new CacheBound(swkTtl, swkMax), new KeyCalls(callTimeout, callMax), kmsEndpoint,
        previous)));
  }
}
