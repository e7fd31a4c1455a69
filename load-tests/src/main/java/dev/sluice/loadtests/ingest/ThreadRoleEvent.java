package dev.sluice.loadtests.ingest;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * Says, in a JFR recording, which part of the benchmark the committing thread works for. Every Vert.x in this JVM
 * names its threads {@code vert.x-eventloop-thread-N}, and JFR keeps a thread's first name, so without this a profile
 * could not tell the load generator's or the bare handler's event loops from the gateway's (see
 * {@link CpuAttribution}).
 */
@Name(ThreadRoleEvent.NAME)
@Label("Ingest benchmark thread role")
@Category({"Sluice", "Benchmark"})
@Description("The part of the ingest benchmark (load generator, bare handler) the committing thread works for")
final class ThreadRoleEvent extends Event {
  static final String NAME = "dev.sluice.loadtests.ThreadRole";

  @Label("Part")
  String part;

  ThreadRoleEvent(CpuAttribution.Part part) {
    this.part = part.name();
  }
}
