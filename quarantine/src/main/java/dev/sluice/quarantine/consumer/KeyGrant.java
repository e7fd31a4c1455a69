package dev.sluice.quarantine.consumer;

import java.util.Set;

/**
 * The streams whose sealed values a consumer group is granted to open (given to {@code WrapperBuilder.unsealWith} with
 * the keys): every stream it reads, or some of them only. A grant is per (group, stream) because what a group may see
 * is decided per stream: a billing group may need the payment details of one stream and have no business with the
 * names and addresses of another, though it reads both.
 *
 * <p>For a stream outside the grant the group is ungranted, exactly as a group built without keys: its handler sees
 * each marked value as {@code "sluice:withheld"} and no key of that stream is ever asked for, so a process whose
 * permissions cover only the granted streams' keys never meets a denial for the others.
 *
 * <p>This is what the wrapper asks for, not what the process may get: in production the grant is the group's
 * permission on the key table and the key-encryption key, and a group granted here but not there waits on a denial
 * ({@code access_denied}), alerted on.
 *
 * @param everyStream whether every stream the group reads is granted (then {@code streams} is empty)
 * @param streams the streams granted, by name, when not all: at least one, none blank
 */
public record KeyGrant(boolean everyStream, Set<String> streams) {
  private static final KeyGrant ALL = new KeyGrant(true, Set.of());

  public KeyGrant {
    streams = Set.copyOf(streams);
    if (everyStream && !streams.isEmpty()) {
      throw new IllegalArgumentException("a grant of every stream names none: " + streams);
    }
    if (!everyStream && streams.isEmpty()) {
      // Granted nothing is a group built without keys: said by leaving unsealWith out, not by an empty grant.
      throw new IllegalArgumentException("a grant names at least one stream (leave unsealWith out to grant none)");
    }
    for (String stream : streams) {
      if (stream.isBlank()) {
        throw new IllegalArgumentException("a granted stream name must not be blank");
      }
    }
  }

  /** Every stream the group reads. */
  public static KeyGrant allStreams() {
    return ALL;
  }

  /** These streams only; any other the group reads is withheld. */
  public static KeyGrant only(Set<String> streams) {
    return new KeyGrant(false, streams);
  }

  public static KeyGrant only(String... streams) {
    return only(Set.of(streams));
  }

  /** Whether the group may open the sealed values of {@code stream}. */
  public boolean covers(String stream) {
    return everyStream || streams.contains(stream);
  }
}
