package dev.sluice.ingest;

/**
 * Hard limits on what one request body may contain, checked while the body is parsed (one pass, nothing built that
 * the limits do not bound). Every breach is a 400 naming the limit and, where there is one, a JSON pointer.
 *
 * <p>Depth is counted from the event: the event object itself is at depth 1, its {@code data} member's object or
 * array at depth 2, and so on. In a batch the enclosing array does not count, so an event is judged the same whether
 * it comes alone or in a batch; in binary mode the body is {@code data} and starts at depth 2 for the same reason.
 *
 * @param maxDepth the deepest nesting of objects and arrays (default 64). Real event payloads rarely pass 10 levels;
 *     deeper documents are almost always generated attacks on recursive parsers and validators.
 * @param maxNumberLength the longest JSON number, in characters of its text (default 100). A double needs at most 24
 *     characters and a 64-bit integer 20; 100 leaves room for exact decimals while keeping big-number parsing (which
 *     is super-linear in the digit count) away from the schema validator.
 * @param maxStringLength the longest string value or member name, in UTF-16 code units (default 256 Ki = 262,144).
 *     The body limit (1 MiB by default) already bounds memory; this limit is a quarter of it so that one field cannot
 *     be the whole payload: a value that large is an embedded blob (an image, a file) that belongs in object storage
 *     with its URL in the event. It also bounds the text that format and pattern checks run over, and the size of an
 *     extension attribute, which becomes a Kafka header.
 * @param maxBatchEvents the most events in one batch (default 500): 500 events of about 2 KiB fit the 1 MiB default
 *     body; the limit bounds the number of appends one request can have in flight.
 */
public record ReadLimits(int maxDepth, int maxNumberLength, int maxStringLength, int maxBatchEvents) {
  public static final int DEFAULT_MAX_DEPTH = 64;
  public static final int DEFAULT_MAX_NUMBER_LENGTH = 100;
  public static final int DEFAULT_MAX_STRING_LENGTH = 256 * 1024;
  public static final int DEFAULT_MAX_BATCH_EVENTS = 500;

  /** Above this, the recursive copy of a document could use too much stack; no real payload comes close. */
  public static final int MAX_DEPTH_CEILING = 1_000;
  public static final int MAX_NUMBER_LENGTH_CEILING = 10_000;
  public static final int MAX_STRING_LENGTH_CEILING = 64 * 1024 * 1024;
  public static final int MAX_BATCH_EVENTS_CEILING = 10_000;

  public ReadLimits {
    // The event object and its data object need two levels.
    check("maxDepth", maxDepth, 2, MAX_DEPTH_CEILING);
    check("maxNumberLength", maxNumberLength, 1, MAX_NUMBER_LENGTH_CEILING);
    // CloudEvents ids, sources and types must fit.
    check("maxStringLength", maxStringLength, 256, MAX_STRING_LENGTH_CEILING);
    check("maxBatchEvents", maxBatchEvents, 1, MAX_BATCH_EVENTS_CEILING);
  }

  public static ReadLimits defaults() {
    return new ReadLimits(
        DEFAULT_MAX_DEPTH, DEFAULT_MAX_NUMBER_LENGTH, DEFAULT_MAX_STRING_LENGTH, DEFAULT_MAX_BATCH_EVENTS);
  }

  private static void check(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          "gateway " + name + " must be between " + min + " and " + max + ", was " + value);
    }
  }
}
