package dev.sluice.deploy.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The byte sequences a text value would leave in a stored file, for a search that must find it however it was
 * stored: its UTF-8 bytes (which also stand inside any JSON or URL encoding of a value of ASCII letters and digits,
 * as these escape nothing of them), UTF-16 in either byte order, and base64 (DynamoDB Local keeps binary attributes,
 * such as a quarantine item's payload, as base64 in its JSON) in both alphabets at each of the three offsets the value
 * can start at within a base64 group: the characters that encode only the value's own bytes, whatever surrounds it.
 *
 * @param value the text searched for
 * @param forms each byte sequence, named (e.g. {@code base64@1})
 */
public record ByteForms(String value, List<Form> forms) {
  /** One way the value may be stored. */
  public record Form(String name, byte[] bytes) {}

  /** The forms of {@code value}, which must be long enough to leave whole base64 groups at every offset. */
  public static ByteForms of(String value) {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    if (utf8.length < 8) {
      throw new IllegalArgumentException("too short to search for in base64 without chance matches: " + value);
    }
    List<Form> forms = new ArrayList<>(List.of(new Form("utf-8", utf8),
        new Form("utf-16le", value.getBytes(StandardCharsets.UTF_16LE)),
        new Form("utf-16be", value.getBytes(StandardCharsets.UTF_16BE))));
    for (int offset = 0; offset < 3; offset++) {
      // A value starting at this offset within a 3-byte group: its first bytes share a group with what precedes
      // it, and its last ones with what follows, so only the groups wholly its own are the same in every context.
      int skip = (3 - offset) % 3;
      int whole = (utf8.length - skip) / 3 * 3;
      byte[] own = Arrays.copyOfRange(utf8, skip, skip + whole);
      forms.add(new Form("base64@" + offset, Base64.getEncoder().withoutPadding().encode(own)));
      forms.add(new Form("base64url@" + offset, Base64.getUrlEncoder().withoutPadding().encode(own)));
    }
    return new ByteForms(value, List.copyOf(forms));
  }
}
