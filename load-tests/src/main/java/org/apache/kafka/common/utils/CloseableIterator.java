package org.apache.kafka.common.utils;

/**
 * Compatibility shim for the peers benchmark only, not part of Sluice: Confluent Parallel Consumer 0.5.3.x (the latest
 * on Maven Central) was built against kafka-clients 3.x and implements this interface, which kafka-clients 4.x moved
 * to {@code org.apache.kafka.common.utils.internals}. Without it Parallel Consumer fails at run time with
 * {@code NoClassDefFoundError}. This restores the old name as the same type; kafka-clients itself is unchanged.
 */
public interface CloseableIterator<T> extends org.apache.kafka.common.utils.internals.CloseableIterator<T> {
}
