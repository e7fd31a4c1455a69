package dev.sluice.loadtests.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.loadtests.ingest.CpuAttribution.Component;
import dev.sluice.loadtests.ingest.CpuAttribution.Part;
import java.util.List;
import org.junit.jupiter.api.Test;

class CpuAttributionTest {
  @Test
  void threadsBelongToTheirPartByName() {
    assertEquals(Part.GATEWAY, CpuAttribution.part("vert.x-eventloop-thread-1"));
    assertEquals(Part.GATEWAY, CpuAttribution.part("sluice-kafka-send-2-0"));
    assertEquals(Part.GATEWAY, CpuAttribution.part("kafka-producer-network-thread | sluice-gateway-2"));
    assertEquals(Part.CEILING, CpuAttribution.part("kafka-producer-network-thread | sluice-ingest-ceiling-0"));
    assertEquals(Part.CEILING, CpuAttribution.part("ceiling-producer-1"));
    assertEquals(Part.BROKER, CpuAttribution.part("data-plane-kafka-request-handler-3"));
    assertEquals(Part.BROKER, CpuAttribution.part("kafka-1-raft-io-thread"));
    assertEquals(Part.BROKER, CpuAttribution.part("ExpirationReaper-1-Produce"));
    assertEquals(Part.GENERATOR, CpuAttribution.part("main"));
    assertEquals(Part.JVM, CpuAttribution.part("C2 CompilerThread0"));
    assertEquals(Part.JVM, CpuAttribution.part("JFR Periodic Tasks"));
  }

  @Test
  void aSampleGoesToTheComponentOfTheFrameNearestTheTop() {
    // A HashMap lookup inside the dedup store is dedup's, whatever called the store.
    assertEquals(Component.DEDUP, CpuAttribution.component(List.of("java.util.HashMap",
        "dev.sluice.gateway.dedup.Deduplicator", "dev.sluice.gateway.http.IngestHandler", "io.netty.channel.Foo")));
    // A Netty write under a handler is the HTTP stack's.
    assertEquals(Component.HTTP, CpuAttribution.component(List.of("sun.nio.ch.SocketChannelImpl",
        "io.netty.channel.AbstractChannel", "dev.sluice.gateway.http.IngestHandler")));
    // The more specific package wins within one frame.
    assertEquals(Component.APPEND, CpuAttribution.component(List.of("dev.sluice.ingest.kafka.EventAppender")));
    assertEquals(Component.READING, CpuAttribution.component(List.of("dev.sluice.ingest.BoundedJson")));
    assertEquals(Component.VALIDATION, CpuAttribution.component(List.of("java.lang.String",
        "dev.sluice.schemas.registry.SchemaCompiler")));
    assertEquals(Component.EVENT, CpuAttribution.component(List.of("dev.sluice.schemas.event.CloudEventChecks")));
    assertEquals(Component.ADMISSION, CpuAttribution.component(List.of("dev.sluice.ingest.admit.EventAdmission")));
    // The producer's own socket write is the producer's, not the HTTP stack's.
    assertEquals(Component.PRODUCER, CpuAttribution.component(List.of("sun.nio.ch.SocketChannelImpl",
        "org.apache.kafka.common.network.Selector")));
    assertEquals(Component.JDK, CpuAttribution.component(List.of("java.lang.Thread")));
  }

  @Test
  void theOwnerIsTheSluiceCodeNearestTheTopWhateverLibraryRan() {
    assertEquals("dev.sluice.schemas.registry", CpuAttribution.sluiceOwner(List.of(
        "com.fasterxml.jackson.core.json.UTF8StreamJsonParser", "dev.sluice.schemas.registry.JsonValues",
        "dev.sluice.ingest.admit.EventAdmission")));
    assertEquals(CpuAttribution.NO_SLUICE_FRAME, CpuAttribution.sluiceOwner(List.of("io.netty.channel.Foo")));
  }

  @Test
  void packagesAreCutToThreeSegments() {
    assertEquals("io.netty.buffer", CpuAttribution.packageOf("io.netty.buffer.PooledByteBuf"));
    assertEquals("com.fasterxml.jackson", CpuAttribution.packageOf("com.fasterxml.jackson.core.json.Parser"));
    assertEquals("java.util", CpuAttribution.packageOf("java.util.HashMap"));
    assertEquals("", CpuAttribution.packageOf("Unnamed"));
  }
}
