package dev.sluice.schemas.catalog;

/** How consumers of a stream must treat events that share a partition key when one of them is quarantined. */
public enum OrderingPolicy {
  /** Later events with the same key wait behind a quarantined one. */
  KEY_ORDERED,
  /** Every event is handled on its own. */
  UNORDERED
}
