package dev.sluice.quarantine.find;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the next page of a find starts, as an opaque string for clients: items come newest first, ties broken by id
 * descending, and a page continues strictly after {@code (quarantinedAtMillis, id)} in that order. An empty id means
 * "everything older than {@code quarantinedAtMillis}". The position does not depend on the filter or the index used,
 * so it stays valid whichever index answers the next page.
 */
public record FindCursor(long quarantinedAtMillis, String id) {
  private static final String VERSION = "1";
  static final int MAX_ENCODED = 400;

  public FindCursor {
    Objects.requireNonNull(id, "id");
  }

  /** Everything strictly older than the given time. */
  public static FindCursor before(long millis) {
    return new FindCursor(millis, "");
  }

  /** Whether an item at this position comes after the cursor (so belongs to a later page). */
  public boolean admits(long atMillis, String itemId) {
    return atMillis < quarantinedAtMillis || (atMillis == quarantinedAtMillis && itemId.compareTo(id) < 0);
  }

  public String encode() {
    String plain = VERSION + ":" + quarantinedAtMillis + ":" + id;
    return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  /** Empty when the text is not a cursor this code wrote. */
  public static Optional<FindCursor> decode(String encoded) {
    if (encoded == null || encoded.isEmpty() || encoded.length() > MAX_ENCODED) {
      return Optional.empty();
    }
    String plain;
    try {
      plain = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException notBase64) {
      return Optional.empty();
    }
    String[] parts = plain.split(":", 3);
    if (parts.length != 3 || !VERSION.equals(parts[0])) {
      return Optional.empty();
    }
    try {
      long at = Long.parseLong(parts[1]);
      return at < 0 ? Optional.empty() : Optional.of(new FindCursor(at, parts[2]));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
