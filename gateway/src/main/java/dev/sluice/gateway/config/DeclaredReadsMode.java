package dev.sluice.gateway.config;

/**
 * What the schema registry does with the reads live consumer groups declared ({@code sluice.registry.declared.reads}).
 * Either way every answer to a proposed schema names the groups it affects.
 */
public enum DeclaredReadsMode {
  /** Name the affected groups; the compatibility level alone decides. The default. */
  INFORM,
  /**
   * Also refuse a schema that removes, makes optional or narrows a field some live group declared it reads, even
   * where the level allows it; and refuse to register while the groups cannot be read, rather than register
   * unchecked.
   */
  PROTECT
}
