package dev.sluice.schemas.registry;

/**
 * How a new schema version must relate to earlier ones, with Confluent Schema Registry's names and meanings.
 *
 * <ul>
 *   <li>BACKWARD: consumers using the new version can read data written with the previous one (the new schema accepts
 *       everything the previous accepted). Upgrade consumers first.
 *   <li>FORWARD: consumers still on the previous version can read data written with the new one (the previous schema
 *       accepts everything the new one accepts). Upgrade producers first.
 *   <li>FULL: both.
 *   <li>*_TRANSITIVE: against every earlier version, not only the latest.
 *   <li>NONE: no check.
 * </ul>
 */
public enum Compatibility {
  BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE, NONE;

  /** The default for a type with no explicit setting. */
  public static final Compatibility DEFAULT = BACKWARD;

  /** Whether the new version must accept what earlier versions accepted. */
  public boolean backward() {
    return this == BACKWARD || this == BACKWARD_TRANSITIVE || this == FULL || this == FULL_TRANSITIVE;
  }

  /** Whether earlier versions must accept what the new version accepts. */
  public boolean forward() {
    return this == FORWARD || this == FORWARD_TRANSITIVE || this == FULL || this == FULL_TRANSITIVE;
  }

  /** Whether the check runs against every earlier version rather than only the latest. */
  public boolean transitive() {
    return this == BACKWARD_TRANSITIVE || this == FORWARD_TRANSITIVE || this == FULL_TRANSITIVE;
  }
}
