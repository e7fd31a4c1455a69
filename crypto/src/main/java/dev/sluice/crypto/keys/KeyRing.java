package dev.sluice.crypto.keys;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import dev.sluice.crypto.CryptoSettings;
import dev.sluice.crypto.Keysets;
import dev.sluice.crypto.kek.Kek;
import dev.sluice.crypto.kek.KekWithPrevious;
import dev.sluice.crypto.kek.Keks;
import dev.sluice.crypto.kek.KmsAccess;
import dev.sluice.storekit.dynamo.WorkerTable;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A process's subject keys: three levels, KEK, then one stream wrapping key (SWK) per stream, then one data key (DEK)
 * per (stream, subject). A DEK is made on first use and stored wrapped by its SWK, which is stored wrapped by the KEK;
 * both are cached unwrapped ({@link KeyCache}). A new subject costs one read and one conditional write of the key table
 * and no KEK call; the KEK is called once per stream per SWK TTL.
 *
 * <p><b>Calls.</b> A key in the cache is answered at once, as a completed Future. A miss loads on this ring's own
 * worker pool of {@code keyCalls.max} threads, which bounds the key calls running at once (more wait their turn). Each
 * caller waits at most {@code keyCalls.timeout}; past it, and on any failure of the table or the KEK, its Future fails
 * with {@link KeyUnavailableException} ({@link KeyAccessDeniedException} for a denial). An outage is never answered as
 * a forgotten or missing key. Results reach each caller on its own Vert.x context.
 *
 * <p><b>Single flight.</b> Loads in progress are kept by subject (as the gateway's deduplicator keeps appends): a
 * second caller for the same subject waits for the first load instead of starting its own, so a burst of events for a
 * new subject makes one read and one write. Two processes racing on a new subject both write conditionally; the one
 * whose condition fails reads again and takes the winner's key.
 *
 * <p><b>Forget</b> removes the subject's key (leaving a tombstone) and marks it erased in this process's cache at once;
 * other processes see it within their DEK TTL. The next event of the subject makes a new key, a generation later.
 *
 * <p>Thread-safe; one per process. {@link #close} releases its workers.
 */
public final class KeyRing implements SubjectKeys, AutoCloseable {
  /** Conditional writes lost in a row before a load gives up (each loss means another writer changed the row). */
  private static final int MAX_ATTEMPTS = 4;
  private static final String WORKERS = "sluice-key-calls";

  /**
   * @param rows where wrapped keys are kept
   * @param kek what wraps the stream keys
   * @param cache the unwrapped keys; a process has one, and so one ring
   * @param calls the timeout and the bound on key calls running at once
   * @param clock when keys are made and forgotten
   */
  public record Parts(Vertx vertx, KeyRows rows, Kek kek, KeyCache cache, CryptoSettings.KeyCalls calls,
      InstantSource clock) {
    public Parts {
      Objects.requireNonNull(vertx, "vertx");
      Objects.requireNonNull(rows, "rows");
      Objects.requireNonNull(kek, "kek");
      Objects.requireNonNull(cache, "cache");
      Objects.requireNonNull(calls, "calls");
      Objects.requireNonNull(clock, "clock");
    }
  }

  private final Parts parts;
  /** The KEK this ring opened itself ({@link #onDynamo}), closed with it; a KEK handed in is its caller's. */
  private final Optional<AutoCloseable> ownKek;
  private final WorkerExecutor workers;
  private final ConcurrentMap<SubjectRef, Future<SubjectKey>> encrypting = new ConcurrentHashMap<>();
  private final ConcurrentMap<SubjectRef, Future<Optional<DekState>>> reading = new ConcurrentHashMap<>();

  public KeyRing(Parts parts) {
    this(parts, Optional.empty());
  }

  private KeyRing(Parts parts, Optional<AutoCloseable> ownKek) {
    this.parts = Objects.requireNonNull(parts, "parts");
    this.ownKek = ownKek;
    this.workers = parts.vertx().createSharedWorkerExecutor(WORKERS, parts.calls().max(),
        2 * parts.calls().timeout().toMillis() + 60_000, TimeUnit.MILLISECONDS);
  }

  /**
   * The ring a process uses: keys in the DynamoDB table {@code settings.keysTable()} (see {@link KeyTable#ensure}),
   * wrapped by the KEK {@code settings.kekUri()} names, cached as {@code settings} says. A KMS KEK is called with the
   * key table client's credentials (one identity reads the wrapped keys and unwraps them), at
   * {@code settings.kmsEndpoint()} if set, each call bounded by the key call timeout.
   */
  public static KeyRing onDynamo(Vertx vertx, DynamoDbClient dynamo, CryptoSettings settings, InstantSource clock) {
    KeyTable table = new KeyTable(new WorkerTable(vertx, dynamo, settings.keysTable(), clock),
        settings.keyCalls().timeout());
    Kek kek = openKek(settings, dynamo);
    return new KeyRing(new Parts(vertx, table, kek, KeyCache.of(settings), settings.keyCalls(), clock),
        kek instanceof AutoCloseable closeable ? Optional.of(closeable) : Optional.empty());
  }

  /**
   * The KEK {@code settings} name, called with the key table client's credentials (one identity reads the wrapped keys
   * and unwraps them), at {@code settings.kmsEndpoint()} if set, each call bounded by the key call timeout. While a
   * previous KEK is set, a {@link KekWithPrevious} that also unwraps what that one wrapped; the previous one must
   * exist. Closeable when it holds a client.
   */
  public static Kek openKek(CryptoSettings settings, DynamoDbClient dynamo) {
    KmsAccess kms = new KmsAccess(settings.kmsEndpoint(), dynamo.serviceClientConfiguration().credentialsProvider(),
        settings.keyCalls().timeout());
    Kek current = Keks.fromUri(settings.kekUri(), kms);
    if (settings.previousKekUri().isEmpty()) {
      return current;
    }
    try {
      return new KekWithPrevious(current, Keks.existing(settings.previousKekUri().get(), kms));
    } catch (RuntimeException e) {
      if (current instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception closing) {
          e.addSuppressed(closing);
        }
      }
      throw e;
    }
  }

  @Override
  public Future<SubjectKey> forEncrypt(SubjectRef subject) {
    Optional<DekState> cached = parts.cache().dek(subject);
    if (cached.isPresent() && cached.get() instanceof SubjectKey key) {
      return Future.succeededFuture(key);
    }
    return forCaller(once(encrypting, subject, () -> loadForEncrypt(subject)).future());
  }

  /**
   * {@inheritDoc}
   *
   * <p>From the cache when it settles the question (the key, or a forget at or after {@code version}'s generation).
   * Otherwise from a read of the table; and when that read was one already in progress (begun, maybe, before the
   * record's key was written) and does not settle it either, from one more read of its own.
   */
  @Override
  public Future<KeyLookup> forDecrypt(SubjectRef subject, KeyVersion version) {
    Optional<KeyLookup> settled = parts.cache().dek(subject).map(state -> judge(state, version))
        .filter(KeyRing::settles);
    if (settled.isPresent()) {
      return Future.succeededFuture(settled.get());
    }
    Flight<Optional<DekState>> read = once(reading, subject, () -> readForDecrypt(subject));
    Future<KeyLookup> answer = read.future().compose(state -> {
      KeyLookup first = lookup(state, version);
      if (settles(first) || !read.joined()) {
        return Future.succeededFuture(first);
      }
      return call(() -> readForDecrypt(subject)).map(again -> lookup(again, version));
    });
    return forCaller(answer);
  }

  /** What the key table says of the subject now (read, not cached). */
  public Future<SubjectState> state(SubjectRef subject) {
    return forCaller(call(() -> SubjectState.of(parts.rows().dek(subject))));
  }

  /**
   * Removes the subject's key, leaving a tombstone that says who forgot it ({@code by}) and under which audit entry. A
   * subject never seen gets a tombstone at generation 0, so a key made for it later is still told apart from one that
   * never existed. Idempotent: forgetting a forgotten subject changes nothing.
   */
  public Future<Forgot> forget(SubjectRef subject, String by, String auditId) {
    Forgetting forgetting = new Forgetting(parts.clock().instant(), by, auditId);
    return forCaller(call(() -> forgetNow(subject, forgetting)));
  }

  @Override
  public void close() {
    workers.close();
    ownKek.ifPresent(kek -> {
      try {
        kek.close();
      } catch (Exception e) {
        // Closing an SDK client frees connections; one that fails to leaves nothing to undo at shutdown.
        System.getLogger(KeyRing.class.getName()).log(System.Logger.Level.DEBUG, "closing the KEK failed: {0}",
            e.toString());
      }
    });
  }

  // ------------------------------------------------------------------------------------------- loads (on workers)

  private SubjectKey loadForEncrypt(SubjectRef subject) throws GeneralSecurityException {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Optional<DekRow> row = parts.rows().dek(subject);
      if (row.isPresent() && row.get().active()) {
        return remember(unwrap(row.get(), requireSwk(subject.stream())));
      }
      long generation = row.map(r -> r.generation() + 1).orElse(1L);
      NewKey fresh = newKey(subject, generation, swk(subject.stream(), true));
      boolean written = row.isEmpty() ? parts.rows().createDek(fresh.row()) : parts.rows().recreateDek(fresh.row());
      if (written) {
        return remember(fresh.key());
      }
      // Lost to another writer: read again and go with what won.
    }
    throw new KeyUnavailableException("the subject's key kept changing while it was being made; try again");
  }

  private Optional<DekState> readForDecrypt(SubjectRef subject) {
    Optional<DekRow> row = parts.rows().dek(subject);
    if (row.isEmpty()) {
      return Optional.empty();
    }
    DekState state = row.get().active()
        ? unwrap(row.get(), requireSwk(subject.stream()))
        : new DekState.Erased(row.get().generation());
    parts.cache().putDek(subject, state);
    return Optional.of(state);
  }

  private Forgot forgetNow(SubjectRef subject, Forgetting forgetting) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Optional<DekRow> row = parts.rows().dek(subject);
      Optional<Forgot> done;
      if (row.isEmpty()) {
        DekRow tombstone = DekRow.tombstone(subject, 0, forgetting.at(), forgetting);
        done = parts.rows().createDek(tombstone) ? Optional.of(new Forgot(tombstone, false, false)) : Optional.empty();
      } else if (!row.get().active()) {
        done = Optional.of(new Forgot(row.get(), row.get().generation() > 0, true));
      } else {
        DekRow active = row.get();
        done = parts.rows().forgetDek(subject, active.generation(), forgetting)
            ? Optional.of(new Forgot(active.forgottenBy(forgetting), true, false))
            : Optional.empty();
      }
      if (done.isPresent()) {
        parts.cache().putDek(subject, new DekState.Erased(done.get().tombstone().generation()));
        return done.get();
      }
    }
    throw new KeyUnavailableException("the subject's key kept changing while it was being forgotten; try again");
  }

  private SubjectKey remember(SubjectKey key) {
    parts.cache().putDek(key.subject(), key);
    return key;
  }

  // ------------------------------------------------------------------------------------------- keys and wrapping

  private record NewKey(SubjectKey key, DekRow row) {}

  private NewKey newKey(SubjectRef subject, long generation, Aead swk) throws GeneralSecurityException {
    KeysetHandle keyset = Keysets.newAes256Gcm();
    byte[] wrapped = TinkProtoKeysetFormat.serializeEncryptedKeyset(keyset, swk, dekAd(subject, generation));
    return new NewKey(subjectKey(subject, generation, keyset),
        DekRow.active(subject, generation, WrappedKey.of(wrapped), parts.clock().instant()));
  }

  private SubjectKey unwrap(DekRow row, Aead swk) {
    try {
      KeysetHandle keyset = TinkProtoKeysetFormat.parseEncryptedKeyset(row.wrapped().orElseThrow().bytes(), swk,
          dekAd(row.subject(), row.generation()));
      return subjectKey(row.subject(), row.generation(), keyset);
    } catch (GeneralSecurityException e) {
      // The row was changed by hand, or restored against another stream key: an operator's problem, not the data's.
      throw new KeyUnavailableException("a subject key of stream " + row.subject().stream()
          + " does not unwrap with the stream's wrapping key", e);
    }
  }

  private static SubjectKey subjectKey(SubjectRef subject, long generation, KeysetHandle keyset)
      throws GeneralSecurityException {
    return new SubjectKey(subject, generation, keyset.getPrimary().getId(), Keysets.keyIds(keyset),
        Keysets.aead(keyset));
  }

  /** Binds a wrapped DEK to its row: one copied to another subject, stream or generation does not unwrap. */
  private static byte[] dekAd(SubjectRef subject, long generation) {
    // Streams have no '|' and the generation has none, so the subject between them is unambiguous.
    return ("sluice-dek|" + subject.stream() + "|" + subject.subject() + "|" + generation)
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Binds a wrapped stream key to its stream: one copied to another stream's row does not unwrap. */
  static byte[] swkAd(String stream) {
    return ("sluice-swk|" + stream).getBytes(StandardCharsets.UTF_8);
  }

  private Aead requireSwk(String stream) {
    Aead swk = swk(stream, false);
    if (swk == null) {
      // A subject key without its stream key: a partly restored table. Held rather than judged, for an operator.
      throw new KeyUnavailableException("stream " + stream + " has subject keys but no wrapping key");
    }
    return swk;
  }

  /** The stream's wrapping key, cached, read, or (when {@code create}) made; null if absent and not made. */
  private Aead swk(String stream, boolean create) {
    return parts.cache().swk(stream, s -> loadSwk(s, create));
  }

  private Aead loadSwk(String stream, boolean create) {
    try {
      Optional<SwkRow> row = parts.rows().swk(stream);
      for (int attempt = 0; row.isEmpty() && create && attempt < MAX_ATTEMPTS; attempt++) {
        KeysetHandle keyset = Keysets.newAes256Gcm();
        SwkRow fresh = new SwkRow(stream, WrappedKey.of(TinkProtoKeysetFormat.serializeEncryptedKeyset(keyset,
            parts.kek().asAead(), swkAd(stream))), parts.kek().uri(), parts.clock().instant());
        if (parts.rows().createSwk(fresh)) {
          return Keysets.aead(keyset);
        }
        row = parts.rows().swk(stream);
      }
      if (row.isEmpty()) {
        return null;
      }
      return Keysets.aead(TinkProtoKeysetFormat.parseEncryptedKeyset(row.get().wrapped().bytes(),
          parts.kek().asAead(), swkAd(stream)));
    } catch (GeneralSecurityException e) {
      throw new KeyUnavailableException("the wrapping key of stream " + stream + " does not unwrap with the KEK", e);
    }
  }

  // ------------------------------------------------------------------------------------------- judging a version

  private static KeyLookup lookup(Optional<DekState> state, KeyVersion version) {
    return state.map(s -> judge(s, version)).orElseGet(KeyLookup.Missing::new);
  }

  /**
   * A version older than what is known was forgotten (generations only move on through a forget); the known one is
   * found if its keyset has the key id; a newer one is unknown here.
   */
  private static KeyLookup judge(DekState state, KeyVersion version) {
    if (version.generation() > state.generation()) {
      return new KeyLookup.UnknownKeyVersion(version);
    }
    if (version.generation() < state.generation() || state instanceof DekState.Erased) {
      return new KeyLookup.Forgotten(version.generation());
    }
    SubjectKey key = (SubjectKey) state;
    return key.keyIds().contains(version.keyId()) ? new KeyLookup.Found(key)
        : new KeyLookup.UnknownKeyVersion(version);
  }

  private static boolean settles(KeyLookup lookup) {
    return lookup instanceof KeyLookup.Found || lookup instanceof KeyLookup.Forgotten;
  }

  // ------------------------------------------------------------------------------------------- calls and flights

  /** A load in progress, and whether this caller joined it rather than started it. */
  private record Flight<T>(Future<T> future, boolean joined) {}

  private <T> Flight<T> once(ConcurrentMap<SubjectRef, Future<T>> flights, SubjectRef subject, Callable<T> load) {
    Promise<T> mine = Promise.promise();
    Future<T> earlier = flights.putIfAbsent(subject, mine.future());
    if (earlier != null) {
      return new Flight<>(earlier, true);
    }
    call(load).onComplete((value, err) -> {
      // Out of the map first: a caller arriving after this load must not be answered by it once it is stale.
      flights.remove(subject, mine.future());
      if (err != null) {
        mine.fail(err);
      } else {
        mine.complete(value);
      }
    });
    return new Flight<>(mine.future(), false);
  }

  /**
   * Runs {@code load} on the ring's workers. One that waited for a worker longer than the timeout is not run: its
   * callers have given up (during an outage, loads queue up behind the slow ones).
   */
  private <T> Future<T> call(Callable<T> load) {
    long deadline = System.nanoTime() + parts.calls().timeout().toNanos();
    return workers.executeBlocking(() -> {
      if (System.nanoTime() - deadline > 0) {
        throw new KeyUnavailableException("no key call free within " + parts.calls().timeout());
      }
      try {
        return load.call();
      } catch (Exception e) {
        throw KeyFailures.classify(e);
      }
    }, false);
  }

  /**
   * {@code shared} as this caller sees it: failed with {@link KeyUnavailableException} after the timeout, and
   * completed on the caller's context (a shared load completes on the context of whoever started it).
   */
  private <T> Future<T> forCaller(Future<T> shared) {
    Context caller = Vertx.currentContext();
    Promise<T> mine = Promise.promise();
    Vertx vertx = parts.vertx();
    long timer = vertx.setTimer(Math.max(1, parts.calls().timeout().toMillis()), id -> mine.tryFail(
        new KeyUnavailableException("no key within " + parts.calls().timeout())));
    shared.onComplete((value, err) -> {
      vertx.cancelTimer(timer);
      Runnable deliver = () -> {
        if (err != null) {
          mine.tryFail(KeyFailures.classify(err));
        } else {
          mine.tryComplete(value);
        }
      };
      if (caller == null || caller == Vertx.currentContext()) {
        deliver.run();
      } else {
        caller.runOnContext(v -> deliver.run());
      }
    });
    return mine.future();
  }
}
