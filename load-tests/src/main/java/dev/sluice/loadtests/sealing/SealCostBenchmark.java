package dev.sluice.loadtests.sealing;

import com.google.crypto.tink.KeysetHandle;
import dev.sluice.crypto.Keysets;
import dev.sluice.crypto.keys.KeyLookup;
import dev.sluice.crypto.keys.KeyVersion;
import dev.sluice.crypto.keys.SubjectKey;
import dev.sluice.crypto.keys.SubjectKeys;
import dev.sluice.crypto.keys.SubjectRef;
import dev.sluice.crypto.seal.EventRef;
import dev.sluice.crypto.seal.SealHeader;
import dev.sluice.crypto.seal.SealInput;
import dev.sluice.crypto.seal.Sealed;
import dev.sluice.crypto.seal.Sealer;
import dev.sluice.crypto.seal.UnsealInput;
import dev.sluice.crypto.seal.Unsealer;
import dev.sluice.crypto.seal.Unsealing;
import dev.sluice.schemas.marks.MarkedLocations;
import dev.sluice.schemas.marks.SensitiveMarks;
import dev.sluice.schemas.registry.CostMeter;
import dev.sluice.schemas.registry.SchemaVersion;
import dev.sluice.schemas.registry.Validation;
import io.vertx.core.Future;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Where the CPU of sealing goes, per event of the sealing suite (about 1 KB of data, three marked values), one thread,
 * the subject's key in memory: the locating pass, the seal itself (three AES-256-GCM encryptions and the splice), the
 * unseal, and the schema checks each end runs (the full schema on plaintext at the gateway, the relaxed one on sealed
 * data at the consumer). Each is a step of the end-to-end ratios the sealing suite judges, measured apart.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SealCostBenchmark {
  private static final String STREAM = "customers";
  private static final EventRef EVENT = new EventRef(STREAM, "/bench", "e-1", CustomerTypes.SEALED);

  private SchemaVersion sealedType;
  private SchemaVersion plainType;
  private SensitiveMarks marks;
  private String data;
  private String subject;
  private Sealed sealed;
  private Sealer sealer;
  private com.google.crypto.tink.Aead aead;
  private final byte[] value = "\"cust-000000@example.com\"".getBytes(java.nio.charset.StandardCharsets.UTF_8);
  private final byte[] aad = "sluice-field/v1 customers /bench e-1 bench.customer.sealed /email"
      .getBytes(java.nio.charset.StandardCharsets.UTF_8);
  private Unsealer unsealer;
  private byte[] headerBytes;

  /** One subject's key, always in memory, as a warm key ring answers. */
  private static final class OneKey implements SubjectKeys {
    private final Future<SubjectKey> key;

    OneKey(SubjectKey key) {
      this.key = Future.succeededFuture(key);
    }

    @Override
    public Future<SubjectKey> forEncrypt(SubjectRef subject) {
      return key;
    }

    @Override
    public Future<KeyLookup> forDecrypt(SubjectRef subject, KeyVersion version) {
      return Future.succeededFuture(new KeyLookup.Found(key.result()));
    }
  }

  @Setup
  public void setUp() throws Exception {
    var state = CustomerTypes.registry(Map.of(STREAM, CustomerTypes.SEALED)).state();
    sealedType = state.latest(CustomerTypes.SEALED).orElseThrow();
    plainType = state.latest(CustomerTypes.PLAIN).orElseThrow();
    marks = sealedType.marks();
    CustomerEvents events = new CustomerEvents("jmh", 1024, 1, "2026-01-01T00:00:00Z");
    subject = CustomerEvents.warmSubject(0);
    data = events.warmData(0);
    KeysetHandle keyset = Keysets.newAes256Gcm();
    SubjectKey key = new SubjectKey(new SubjectRef(STREAM, subject), 1, keyset.getPrimary().getId(),
        Keysets.keyIds(keyset), Keysets.aead(keyset));
    aead = key.aead();
    sealer = new Sealer(new OneKey(key));
    unsealer = new Unsealer(new OneKey(key));
    sealed = seal();
    headerBytes = sealed.header().orElseThrow().encode();
  }

  /** One marked value's encryption alone (Tink AES-256-GCM, a fresh random nonce): a seal makes three. */
  @Benchmark
  public byte[] encryptOneValue() throws Exception {
    return aead.encrypt(value, aad);
  }

  @Benchmark
  public Optional<MarkedLocations.Located> locate() {
    return MarkedLocations.locate(marks, data);
  }

  @Benchmark
  public Sealed seal() {
    return sealer.seal(new SealInput(EVENT, subject, data,
        MarkedLocations.locate(marks, data).orElseThrow().values())).result();
  }

  @Benchmark
  public Unsealing unseal() {
    return unsealer.unseal(new UnsealInput(EVENT, subject, sealed.data(),
        MarkedLocations.locate(marks, sealed.data()).orElseThrow().values(), sealed.header())).result();
  }

  /** What the gateway does for a sealed event beyond the plain one: the seal, then its header as Kafka carries it. */
  @Benchmark
  public byte[] sealForKafka() {
    return seal().header().orElseThrow().encode();
  }

  /**
   * What the consumer does for a sealed record beyond the plain one, but for the cheaper relaxed check: the header
   * read from Kafka's bytes, the locating pass and the unseal.
   */
  @Benchmark
  public Unsealing unsealFromKafka() {
    SealHeader header = ((SealHeader.Parsed.Ok) SealHeader.parse(headerBytes)).header();
    MarkedLocations.Located located = MarkedLocations.locate(marks, sealed.data()).orElseThrow();
    return unsealer.unseal(new UnsealInput(EVENT, subject, sealed.data(), located.values(), Optional.of(header)))
        .result();
  }

  @Benchmark
  public Validation validatePlainTwin() {
    return plainType.validate(data);
  }

  @Benchmark
  public Validation validateMarkedPlaintext() {
    return sealedType.validate(data);
  }

  @Benchmark
  public Validation validateSealed() {
    return sealedType.validateSealed(sealed.data());
  }

  /** What the gateway does now: the full check of the plaintext, locating the marked values in the same parse. */
  @Benchmark
  public Optional<MarkedLocations.Located> validateMarkedPlaintextLocating() {
    MarkedLocations.Tracker tracker = MarkedLocations.tracker(marks, data);
    sealedType.validate(data, CostMeter.forOneEvent(), tracker);
    return tracker.located();
  }

  /** What the consumer's triage does now: the relaxed check of the sealed data, locating in the same parse. */
  @Benchmark
  public Optional<MarkedLocations.Located> validateSealedLocating() {
    MarkedLocations.Tracker tracker = MarkedLocations.tracker(marks, sealed.data());
    sealedType.validateSealed(sealed.data(), tracker);
    return tracker.located();
  }
}
