package dev.sluice.quarantine.consumer;

import java.util.Map;

/**
 * What a {@link WrapperBuilder} hands the wrapper it builds: the parts its partition workers and drainers share, the
 * caller's Kafka client properties, and the group's presence in the registry (a no-op without a heartbeat).
 */
record WrapperParts(ConsumerParts parts, Map<String, String> kafkaProps, GroupPresence presence) {}
