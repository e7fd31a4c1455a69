package dev.sluice.quarantine.consumer;

/**
 * The outcome of a record that the storm breaker holds back instead of quarantining: neither handled nor recorded, so
 * it is set back to be taken again once the storm is lifted, and nothing past it is committed. Not an error: carried
 * by the record's Future as its failure, without a stack trace.
 */
final class StormHeld extends RuntimeException {
  static final StormHeld HELD = new StormHeld();

  private StormHeld() {
    super("held back by a storm", null, false, false);
  }
}
