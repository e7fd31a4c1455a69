package dev.sluice.quarantine.find;

import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineReason;
import dev.sluice.quarantine.store.QuarantineStatus;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which quarantine items an operator means: the console list's query parameters and a bulk job's {@code filter}
 * object read into this one record (same names everywhere: {@code stream, group, type, reason, status, from, to, key,
 * q}, plus {@code fingerprint}). Every field is optional; an absent field does not filter.
 *
 * @param from inclusive lower bound on the quarantine time
 * @param to exclusive upper bound on the quarantine time
 * @param text free text, matched case-insensitively in the payload and the operator's edited data, as the asker may
 *     see them ({@link SearchableText})
 * @param fingerprint a failure fingerprint id ({@link Fingerprint#id()})
 */
public record ItemFilter(
    Optional<String> stream,
    Optional<String> group,
    Optional<String> type,
    Optional<QuarantineReason> reason,
    Optional<QuarantineStatus> status,
    Optional<Instant> from,
    Optional<Instant> to,
    Optional<String> key,
    Optional<String> text,
    Optional<String> fingerprint) {

  public static final ItemFilter ALL = new ItemFilter(Optional.empty(), Optional.empty(), Optional.empty(),
      Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
      Optional.empty());

  public ItemFilter {
    // A field that does not filter is Optional.empty(), never null: List.of refuses a null field here, at once.
    List.of(stream, group, type, reason, status, from, to, key, text, fingerprint);
    text = text.map(t -> t.toLowerCase(Locale.ROOT));
  }

  public ItemFilter withStatus(QuarantineStatus s) {
    return new ItemFilter(stream, group, type, reason, Optional.of(s), from, to, key, text, fingerprint);
  }

  /** The same filter over {@code [from, to)}. */
  public ItemFilter within(Instant newFrom, Instant newTo) {
    return new ItemFilter(stream, group, type, reason, status, Optional.of(newFrom), Optional.of(newTo), key, text,
        fingerprint);
  }

  public ItemFilter withFingerprint(String f) {
    return new ItemFilter(stream, group, type, reason, status, from, to, key, text, Optional.of(f));
  }

  /** Whether the filter needs the item's payload or computed values: DynamoDB cannot evaluate these itself. */
  public boolean needsItemCheck() {
    return text.isPresent() || fingerprint.isPresent();
  }

  /** The whole filter, evaluated on an item in memory, free text matched in everything ({@link SearchableText#ALL}). */
  public boolean matches(QuarantineItem item) {
    return matches(item, SearchableText.ALL);
  }

  /**
   * The whole filter, evaluated on an item in memory (the store applies it after its index query, too), free text
   * matched only in {@code searchable}.
   */
  public boolean matches(QuarantineItem item, SearchableText searchable) {
    return stream.map(item.stream()::equals).orElse(true)
        && group.map(item.group()::equals).orElse(true)
        && type.map(t -> item.eventType().map(t::equals).orElse(false)).orElse(true)
        && reason.map(r -> r == item.reason()).orElse(true)
        && status.map(s -> s == item.status()).orElse(true)
        && from.map(f -> !item.quarantinedAt().isBefore(f)).orElse(true)
        && to.map(t -> item.quarantinedAt().isBefore(t)).orElse(true)
        && key.map(k -> item.key().map(k::equals).orElse(false)).orElse(true)
        && text.map(t -> containsText(searchable.of(item), t)).orElse(true)
        && fingerprint.map(f -> Fingerprint.of(item).id().equals(f)).orElse(true);
  }

  private static boolean containsText(List<String> texts, String lowerCaseText) {
    for (String text : texts) {
      if (text.toLowerCase(Locale.ROOT).contains(lowerCaseText)) {
        return true;
      }
    }
    return false;
  }
}
