package dev.sluice.crypto.seal;

import dev.sluice.crypto.keys.KeyLookup;
import dev.sluice.crypto.keys.SubjectKey;
import dev.sluice.crypto.keys.SubjectKeys;
import dev.sluice.crypto.keys.SubjectRef;
import dev.sluice.schemas.marks.MarkedValue;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Unseals a record for a reader allowed to: checks that its header and data agree, then decrypts each sealed value and
 * splices its original JSON text back in place, byte for byte. A forgotten subject's values become
 * {@code "sluice:erased"}. Anything wrong with the record itself is a {@link SealFailure}, the same in every process;
 * a key outage fails the Future with {@code KeyUnavailableException} and is never turned into a placeholder.
 *
 * <p>With the key in memory (or nothing sealed) the Future is complete when {@link #unseal} returns.
 */
public final class Unsealer {
  private final SubjectKeys keys;

  public Unsealer(SubjectKeys keys) {
    this.keys = Objects.requireNonNull(keys, "keys");
  }

  public Future<Unsealing> unseal(UnsealInput input) {
    if (input.header().isEmpty()) {
      Unsealing verdict = input.marks().isEmpty() ? new Unsealed(input.data(), List.of())
          : new SealFailure.NotSealed(input.marks().stream().map(MarkedValue::pointer).sorted().findFirst()
              .orElseThrow());
      return Future.succeededFuture(verdict);
    }
    SealHeader header = input.header().get();
    List<MarkedValue> marks;
    SubjectRef subject;
    try {
      marks = Sealer.ordered(input.marks(), input.data().length());
      subject = new SubjectRef(input.event().stream(), header.subject());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    List<Ciphertext> ciphertexts = new ArrayList<>(marks.size());
    Optional<SealFailure> mismatch = mismatch(input, header, marks, ciphertexts);
    if (mismatch.isPresent()) {
      return Future.succeededFuture(mismatch.get());
    }
    Future<KeyLookup> key = keys.forDecrypt(subject, header.key());
    if (key.succeeded()) {
      // The key in memory (the common case): answered at once, without a mapping stage per record; a failure is a
      // failed Future, as it is from the mapping below.
      try {
        return Future.succeededFuture(answer(key.result(), header, input, marks, ciphertexts));
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    }
    return key.map(lookup -> answer(lookup, header, input, marks, ciphertexts));
  }

  private static Unsealing answer(KeyLookup lookup, SealHeader header, UnsealInput input, List<MarkedValue> marks,
      List<Ciphertext> ciphertexts) {
    if (lookup instanceof KeyLookup.Found found) {
      return decrypt(found.key(), input, marks, ciphertexts);
    }
    if (lookup instanceof KeyLookup.Forgotten) {
      return new Unsealed(Placeholders.replace(input.data(), marks, Placeholders.ERASED),
          marks.stream().map(MarkedValue::pointer).sorted().toList());
    }
    if (lookup instanceof KeyLookup.Missing) {
      return new SealFailure.KeyNotFound();
    }
    return new SealFailure.UnknownKeyVersion(header.key());
  }

  /**
   * Why the header and the data disagree, if they do; if not, {@code ciphertexts} then holds each marked value's
   * ciphertext, in the order of {@code marks}.
   */
  private static Optional<SealFailure> mismatch(UnsealInput input, SealHeader header, List<MarkedValue> marks,
      List<Ciphertext> ciphertexts) {
    if (!header.subject().equals(input.subject())) {
      return Optional.of(new SealFailure.SealMismatch("the header names another data subject than the data"));
    }
    if (!sameFields(header.fields(), marks)) {
      return Optional.of(new SealFailure.SealMismatch(
          "the header lists other fields than the marked values of the data"));
    }
    for (MarkedValue mark : marks) {
      Ciphertext.Parsed parsed = Ciphertext.parseJson(input.data(), mark.start(), mark.end());
      if (parsed instanceof Ciphertext.Parsed.Invalid) {
        return Optional.of(new SealFailure.SealMismatch("marked field " + mark.pointer() + " is not a ciphertext"));
      }
      ciphertexts.add(((Ciphertext.Parsed.Ok) parsed).ciphertext());
    }
    return Optional.empty();
  }

  /**
   * Whether the header's fields are exactly the marks' pointers. Both are sets (the header's sorted and unique by its
   * own check, the marks' pointers unique by {@link Sealer#ordered}), so equal sizes and each pointer found among the
   * fields mean equal sets: the same verdict as comparing the sorted lists, without sorting a copy per record.
   */
  private static boolean sameFields(List<String> fields, List<MarkedValue> marks) {
    if (fields.size() != marks.size()) {
      return false;
    }
    for (MarkedValue mark : marks) {
      if (Collections.binarySearch(fields, mark.pointer()) < 0) {
        return false;
      }
    }
    return true;
  }

  private static Unsealing decrypt(SubjectKey key, UnsealInput input, List<MarkedValue> marks,
      List<Ciphertext> ciphertexts) {
    FieldAad aad = FieldAad.of(input.event());
    List<DataSplice.Replacement> replacements = new ArrayList<>(marks.size());
    for (int i = 0; i < marks.size(); i++) {
      MarkedValue mark = marks.get(i);
      byte[] plaintext;
      try {
        plaintext = key.aead().decrypt(ciphertexts.get(i).unsafeBytes(), aad.forPointer(mark.pointer()));
      } catch (GeneralSecurityException e) {
        return new SealFailure.Tampered(mark.pointer());
      }
      replacements.add(new DataSplice.Replacement(mark.start(), mark.end(),
          new String(plaintext, StandardCharsets.UTF_8)));
    }
    return new Unsealed(DataSplice.apply(input.data(), replacements), List.of());
  }
}
