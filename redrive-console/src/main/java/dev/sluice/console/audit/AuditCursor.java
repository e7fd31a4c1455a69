package dev.sluice.console.audit;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/** Where the next audit page starts: strictly before the sort key of the last entry returned; opaque to clients. */
public record AuditCursor(String sortKey) {
  private static final String PREFIX = "a1:";
  private static final Pattern SORT_KEY = Pattern.compile("\\d{13}#[0-9a-f-]{36}");

  public AuditCursor {
    if (sortKey == null || !SORT_KEY.matcher(sortKey).matches()) {
      throw new IllegalArgumentException("not an audit sort key: " + sortKey);
    }
  }

  public String encode() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString((PREFIX + sortKey).getBytes(StandardCharsets.UTF_8));
  }

  /** Empty when the text is not a cursor this code wrote. */
  public static Optional<AuditCursor> decode(String encoded) {
    if (encoded == null || encoded.isEmpty() || encoded.length() > 200) {
      return Optional.empty();
    }
    try {
      String plain = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
      if (!plain.startsWith(PREFIX) || !SORT_KEY.matcher(plain.substring(PREFIX.length())).matches()) {
        return Optional.empty();
      }
      return Optional.of(new AuditCursor(plain.substring(PREFIX.length())));
    } catch (IllegalArgumentException notBase64) {
      return Optional.empty();
    }
  }

  /** The time part of the sort key, in epoch millis. */
  long millis() {
    return Long.parseLong(sortKey.substring(0, 13));
  }
}
