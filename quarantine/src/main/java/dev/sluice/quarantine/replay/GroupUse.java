package dev.sluice.quarantine.replay;

/**
 * How a consumer group is used in Kafka now: its live members, and the partitions it has committed offsets for. A
 * cold start is for a new group only: one that has neither (a group in use needs a rewind instead).
 */
public record GroupUse(int members, int committedPartitions) {
  public boolean isNew() {
    return members == 0 && committedPartitions == 0;
  }
}
