package dev.sluice.loadtests.ingest;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.loadtests.ingest.CpuAttribution.Part;
import dev.sluice.loadtests.ingest.ProfileSummary.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileSummaryTest {
  private static Sample sample(Part part, String... classes) {
    List<String> methods = new ArrayList<>();
    for (String c : classes) {
      methods.add(c + ".run");
    }
    return new Sample(part, List.of(classes), methods);
  }

  @Test
  void sharesAreOfAllSamplesByPartComponentPackageAndFrame() {
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      samples.add(sample(Part.GATEWAY, "com.fasterxml.jackson.core.Parser", "dev.sluice.ingest.BoundedJson"));
    }
    for (int i = 0; i < 2; i++) {
      samples.add(sample(Part.BROKER, "org.apache.kafka.storage.Log"));
    }
    samples.add(sample(Part.GENERATOR, "io.netty.channel.Loop"));
    samples.add(sample(Part.GATEWAY, "dev.sluice.gateway.dedup.Deduplicator"));
    String md = new ProfileSummary("(c) x", 5, Map.of(Part.GATEWAY, 0.3, Part.BROKER, 0.1), samples).markdown();
    assertTrue(md.startsWith("CPU samples of (c) x, 5 run(s): 10 samples"), md);
    assertTrue(md.contains("(system calls included, GC and JIT not):\n- 75.0 % gateway\n- 25.0 % Kafka broker\n"), md);
    assertTrue(md.contains("- 70.0 % gateway\n- 20.0 % Kafka broker\n- 10.0 % load generator\n"), md);
    assertTrue(md.contains("by component (the component of the frame nearest the top) (70 % of all samples):\n"
        + "- 60.0 % Jackson: JSON parsing and writing\n- 10.0 % dedup (dev.sluice.gateway.dedup)\n"), md);
    assertTrue(md.contains("- 60.0 % com.fasterxml.jackson\n"), md);
    assertTrue(md.contains("libraries it called) (70 % of all samples):\n- 60.0 % dev.sluice.ingest\n"
        + "- 10.0 % dev.sluice.gateway.dedup\n"), md);
    assertTrue(md.contains("- 20.0 % org.apache.kafka.storage.Log.run (Kafka broker)\n"), md);
  }

  @Test
  void noSamplesSaysSo() {
    assertTrue(new ProfileSummary("(c) x", 0, Map.of(), List.of()).markdown().contains("(none:"));
  }
}
