package dev.sluice.loadtests.load;

/** Named daemon threads (Java 17: no Thread.ofPlatform()), so the tool's helpers never keep the JVM alive. */
final class Daemons {
  private Daemons() {}

  static Thread unstarted(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    return t;
  }
}
