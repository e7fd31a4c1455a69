package dev.sluice.storekit.sqs;

/**
 * Names of the queues Sluice makes: {@code <prefix>-<kind>-<owner>}, cut to the 80 characters SQS allows. The names
 * are what {@code sluice init} and CloudFormation create ahead of time, so they must not change.
 */
public final class QueueNames {
  /** SQS's longest queue name. */
  public static final int MAX_LENGTH = 80;

  private QueueNames() {}

  /** {@code <prefix>-<kind>-<id>}, cut to 80 characters; for ids that are made of SQS's characters already. */
  public static String of(String prefix, String kind, String id) {
    return bounded(prefix + "-" + kind + "-" + id);
  }

  /**
   * {@code <prefix>-<kind>-<group>} for a consumer group, whose name may hold any character: each one outside
   * [A-Za-z0-9_-], which SQS allows, becomes {@code _}.
   */
  public static String forGroup(String prefix, String kind, String group) {
    return of(prefix, kind, group.replaceAll("[^A-Za-z0-9_-]", "_"));
  }

  private static String bounded(String name) {
    return name.length() <= MAX_LENGTH ? name : name.substring(0, MAX_LENGTH);
  }
}
