package dev.sluice.crypto.seal;

import dev.sluice.crypto.keys.KeyLookup;
import dev.sluice.crypto.keys.SubjectKeys;
import dev.sluice.crypto.keys.SubjectRef;
import dev.sluice.schemas.marks.DataSubject;
import dev.sluice.schemas.marks.MarkedLocations;
import dev.sluice.schemas.marks.MarkedValue;
import dev.sluice.schemas.marks.SensitiveMarks;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An operator's edit of a sealed event's data, on its way back: {@link #open opened} to plaintext (so that it can be
 * checked against the full schema), then {@link #seal sealed} again with the subject's current key, so that an edit
 * is never stored, audited or redriven with a marked value in the clear.
 *
 * <p>An edit may carry over values still sealed as they came (an API client that edits the raw data): each must open
 * with the record's own key at its own pointer of this very event, else it was moved or copied and the edit is
 * refused. A placeholder ({@code "sluice:withheld"}, {@code "sluice:erased"}...) left at a marked pointer is refused
 * too: it stands for a value that is not there. Refusals name pointers, never values.
 *
 * <p>Sealing again rather than keeping the carried-over ciphertexts makes the edit's {@code sluice-sealed} header
 * follow from the edit alone: whatever members or subject the operator changed, the header and data agree.
 */
public final class Resealer {
  private final SubjectKeys keys;
  private final Sealer sealer;

  public Resealer(SubjectKeys keys) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.sealer = new Sealer(keys);
  }

  /** An edit opened, or why it cannot be. */
  public sealed interface Opening {}

  /** The edit with every marked value in the clear: held in memory only, to be checked and then {@link #seal}ed. */
  public record Opened(String data) implements Opening {}

  /** The edit as sealed, or why it cannot be. */
  public sealed interface Resealing {}

  /** The edit sealed, with the header that goes with it (none when nothing marked is present). */
  public record Resealed(Sealed sealed) implements Resealing {}

  /**
   * Why an edit cannot be taken as it is.
   *
   * @param pointer where in the data (RFC 6901, rooted at the data), empty when about the whole
   * @param reason what is wrong, quoting no value
   */
  public record Refused(Optional<String> pointer, String reason) implements Opening, Resealing {
    public Refused {
      Objects.requireNonNull(pointer, "pointer");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * Opens the carried-over sealed values of {@code data} (an edit of {@code event}, whose record was sealed as
   * {@code header} says); values typed in the clear stay as they are. Complete at once when nothing sealed is carried
   * over or the key is in memory; a key outage fails the Future with {@code KeyUnavailableException}.
   */
  public Future<Opening> open(EventRef event, Optional<SealHeader> header, String data, SensitiveMarks marks) {
    if (!marks.any()) {
      return Future.succeededFuture(new Opened(data));
    }
    Optional<MarkedLocations.Located> located = MarkedLocations.locate(marks, data);
    if (located.isEmpty()) {
      return Future.succeededFuture(new Refused(Optional.empty(),
          "the data is not one JSON value with unique member names, so its sensitive values cannot be located"));
    }
    List<MarkedValue> carried = new ArrayList<>();
    for (MarkedValue mark : located.get().values()) {
      String text = mark.text(data);
      Optional<String> placeholder = placeholderIn(text);
      if (placeholder.isPresent()) {
        return Future.succeededFuture(new Refused(Optional.of(mark.pointer()), "holds the placeholder \""
            + placeholder.get() + "\", which stands for a value that is not there: type the value, or remove the "
            + "member if the schema allows"));
      }
      if (Ciphertext.parseJson(text) instanceof Ciphertext.Parsed.Ok) {
        carried.add(mark);
      }
    }
    if (carried.isEmpty()) {
      return Future.succeededFuture(new Opened(data));
    }
    if (header.isEmpty()) {
      return Future.succeededFuture(new Refused(Optional.of(carried.get(0).pointer()),
          "holds a sealed value, but this event's record sealed nothing: it was copied from another event"));
    }
    SealHeader h = header.get();
    SubjectRef subject;
    try {
      subject = new SubjectRef(event.stream(), h.subject());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return keys.forDecrypt(subject, h.key()).map(lookup -> {
      if (lookup instanceof KeyLookup.Found found) {
        return decrypt(found, event, data, carried);
      }
      String pointer = carried.get(0).pointer();
      return lookup instanceof KeyLookup.Forgotten
          ? new Refused(Optional.of(pointer), "holds a sealed value of a forgotten data subject, which nothing can "
              + "open any more: type the value")
          : new Refused(Optional.of(pointer), "holds a sealed value whose key is not known");
    });
  }

  /**
   * Seals opened data (checked by the caller meanwhile) with its subject's current key, made on first use. Complete
   * at once when nothing marked is present or the key is in memory; a key outage fails the Future with
   * {@code KeyUnavailableException}.
   */
  public Future<Resealing> seal(EventRef event, String data, SensitiveMarks marks) {
    if (!marks.any()) {
      return Future.succeededFuture(new Resealed(new Sealed(data, Optional.empty())));
    }
    Optional<MarkedLocations.Located> located = MarkedLocations.locate(marks, data);
    if (located.isEmpty()) {
      return Future.succeededFuture(new Refused(Optional.empty(),
          "the data is not one JSON value with unique member names, so its sensitive values cannot be located"));
    }
    List<MarkedValue> values = located.get().values();
    if (values.isEmpty()) {
      return Future.succeededFuture(new Resealed(new Sealed(data, Optional.empty())));
    }
    if (!(located.get().subject() instanceof DataSubject.Valid valid)) {
      return Future.succeededFuture(new Refused(marks.subject(),
          "the data subject " + ((DataSubject.Invalid) located.get().subject()).reason()
              + ", so the sensitive values cannot be sealed"));
    }
    if (!SubjectRef.isValidSubject(valid.value())) {
      return Future.succeededFuture(new Refused(marks.subject(), "the data subject is longer than the key table "
          + "takes, so the sensitive values cannot be sealed"));
    }
    return sealer.seal(new SealInput(event, valid.value(), data, values)).map(Resealed::new);
  }

  private static Opening decrypt(KeyLookup.Found found, EventRef event, String data, List<MarkedValue> carried) {
    FieldAad aad = FieldAad.of(event);
    List<DataSplice.Replacement> replacements = new ArrayList<>(carried.size());
    for (MarkedValue mark : carried) {
      Ciphertext ciphertext = ((Ciphertext.Parsed.Ok) Ciphertext.parseJson(mark.text(data))).ciphertext();
      try {
        byte[] plaintext = found.key().aead().decrypt(ciphertext.unsafeBytes(), aad.forPointer(mark.pointer()));
        replacements.add(new DataSplice.Replacement(mark.start(), mark.end(),
            new String(plaintext, StandardCharsets.UTF_8)));
      } catch (GeneralSecurityException e) {
        return new Refused(Optional.of(mark.pointer()),
            "holds a sealed value that was not sealed for this member of this event (moved, copied or altered)");
      }
    }
    return new Opened(DataSplice.apply(data, replacements));
  }

  /** The placeholder a value's JSON text is, if it is one. */
  private static Optional<String> placeholderIn(String jsonText) {
    if (jsonText.isEmpty() || jsonText.charAt(0) != '"') {
      return Optional.empty();
    }
    try {
      return Json.decodeValue(jsonText) instanceof String s && Placeholders.isPlaceholder(s)
          ? Optional.of(s) : Optional.empty();
    } catch (DecodeException notAString) {
      return Optional.empty();
    }
  }
}
