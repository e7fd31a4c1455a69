package dev.sluice.quarantine.find;

/**
 * How many items match a filter. {@code exact} is false when counting stopped at the store's read budget: then
 * {@code matched} is a lower bound.
 */
public record MatchCount(long matched, boolean exact) {}
