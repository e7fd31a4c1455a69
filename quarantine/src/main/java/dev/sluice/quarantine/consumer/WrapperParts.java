package dev.sluice.quarantine.consumer;

import dev.sluice.quarantine.log.QuarantineIndexer;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@link WrapperBuilder} hands the wrapper it builds: the parts its partition workers and drainers share, the
 * caller's Kafka client properties, the group's presence in the registry (a no-op without a heartbeat), what it
 * declares it reads (checked when the wrapper starts), and the quarantine log's indexer this wrapper runs, if any.
 */
record WrapperParts(ConsumerParts parts, Map<String, String> kafkaProps, GroupPresence presence,
    DeclaredReads declared, Optional<QuarantineIndexer> indexer) {}
