package dev.sluice.loadtests.peers;

/** A fresh consumer group for every run, so that each reads its topic from the start and shares no state. */
final class GroupNames {
  private final String run = Long.toHexString(System.nanoTime() & 0xffffff);
  private int next;

  String next() {
    return "peers-g" + (++next) + "-" + run;
  }
}
