package dev.sluice.loadtests.ingest;

import dev.sluice.loadtests.ingest.CpuAttribution.Part;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the CPU went during one variant's measured rounds, from a JFR recording of the benchmark ({@code --profile}):
 * while that variant's last {@code runs} runs went on ({@link IngestRunEvent}), the threads' CPU time by part of the
 * JVM (gateway, broker, load generator; system calls included), then the execution samples by part, by gateway
 * component, by package and by top frame. An execution sample is a thread caught running Java code, so the samples
 * leave out time in system calls (socket and file I/O); GC and JIT threads are in neither.
 *
 * <p>Also a command: {@code ProfileSummary FILE.jfr ["variant"] [runs]} prints the summary of a recording made
 * earlier (default: single-event ingest, validation on, its last 5 runs).
 */
final class ProfileSummary {
  /** One execution sample: the part its thread works for and the class and method of each frame, the top first. */
  record Sample(Part part, List<String> classes, List<String> methods) {}

  private static final int TOP = 12;

  private final String variant;
  private final int runs;
  private final Map<Part, Double> threadCpu;
  private final List<Sample> samples;

  /** @param threadCpu the threads' CPU load summed by part, over the runs (any unit: only shares are shown) */
  ProfileSummary(String variant, int runs, Map<Part, Double> threadCpu, List<Sample> samples) {
    this.variant = variant;
    this.runs = runs;
    this.threadCpu = Map.copyOf(threadCpu);
    this.samples = List.copyOf(samples);
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: ProfileSummary FILE.jfr [\"variant\"] [runs]");
      System.exit(2);
    }
    String variant = args.length > 1 ? args[1] : IngestVariant.SINGLE_ON.label();
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    System.out.print(read(Path.of(args[0]), variant, runs).markdown());
  }

  /** The samples of {@code variant}'s last {@code runs} runs in the recording. */
  static ProfileSummary read(Path file, String variant, int runs) throws IOException {
    List<RecordedEvent> events = RecordingFile.readAllEvents(file);
    List<Instant[]> windows = new ArrayList<>();
    Map<Long, Part> roles = new HashMap<>();
    for (RecordedEvent e : events) {
      String type = e.getEventType().getName();
      if (type.equals(IngestRunEvent.NAME) && variant.equals(e.getString("variant"))) {
        windows.add(new Instant[] {e.getStartTime(), e.getEndTime()});
      } else if (type.equals(ThreadRoleEvent.NAME)) {
        roles.put(e.getThread().getJavaThreadId(), Part.valueOf(e.getString("part")));
      }
    }
    windows.sort(Comparator.comparing(w -> w[0]));
    List<Instant[]> last = windows.subList(Math.max(0, windows.size() - runs), windows.size());
    List<Sample> samples = new ArrayList<>();
    Map<Part, Double> threadCpu = new EnumMap<>(Part.class);
    for (RecordedEvent e : events) {
      // A thread's load covers the second before it: only those wholly within a run count.
      if (e.getEventType().getName().equals("jdk.ThreadCPULoad")
          && within(last, e.getStartTime().minusSeconds(1)) && within(last, e.getStartTime())) {
        RecordedThread thread = e.getThread();
        threadCpu.merge(roles.getOrDefault(thread.getJavaThreadId(), CpuAttribution.part(thread.getJavaName())),
            (double) e.getFloat("user") + e.getFloat("system"), Double::sum);
      }
      if (e.getEventType().getName().equals("jdk.ExecutionSample") && within(last, e.getStartTime())
          && e.getStackTrace() != null) {
        List<String> classes = new ArrayList<>();
        List<String> methods = new ArrayList<>();
        for (RecordedFrame f : e.getStackTrace().getFrames()) {
          classes.add(f.getMethod().getType().getName());
          methods.add(f.getMethod().getType().getName() + "." + f.getMethod().getName());
        }
        RecordedThread thread = e.getThread("sampledThread");
        samples.add(new Sample(roles.getOrDefault(thread.getJavaThreadId(),
            CpuAttribution.part(thread.getJavaName())), classes, methods));
      }
    }
    return new ProfileSummary(variant, last.size(), threadCpu, samples);
  }

  private static boolean within(List<Instant[]> windows, Instant t) {
    return windows.stream().anyMatch(w -> !t.isBefore(w[0]) && !t.isAfter(w[1]));
  }

  String markdown() {
    StringBuilder b = new StringBuilder(String.format("CPU samples of %s, %d run(s): %,d samples%n", variant, runs,
        samples.size()));
    if (samples.isEmpty()) {
      return b.append("(none: was the recording started before the runs?)\n").toString();
    }
    double cpu = threadCpu.values().stream().mapToDouble(Double::doubleValue).sum();
    b.append(String.format("%nThreads' CPU time by part of the JVM (system calls included, GC and JIT not):%n"));
    threadCpu.entrySet().stream().sorted(Map.Entry.<Part, Double>comparingByValue().reversed())
        .forEach(e -> b.append(String.format("- %.1f %% %s%n", 100 * e.getValue() / cpu, e.getKey().text())));
    table(b, "Execution samples (Java code only) by part of the JVM", samples, s -> s.part().text());
    List<Sample> gateway = samples.stream().filter(s -> s.part() == Part.GATEWAY).toList();
    table(b, "The gateway's share, by component (the component of the frame nearest the top)", gateway,
        s -> CpuAttribution.component(s.classes()).text());
    table(b, "The gateway's share, by the Sluice code it was spent for (the package of the Sluice frame nearest the "
        + "top: that code and the libraries it called)", gateway, s -> CpuAttribution.sluiceOwner(s.classes()));
    table(b, "By package of the top frame (self time)", samples,
        s -> s.classes().isEmpty() ? "?" : CpuAttribution.packageOf(s.classes().get(0)));
    table(b, "By top frame (self time)", samples, s -> s.methods().isEmpty() ? "?" : s.methods().get(0) + " ("
        + s.part().text() + ")");
    return b.toString();
  }

  /** A Markdown list of the {@value #TOP} largest keys, each with its share of all samples. */
  private void table(StringBuilder b, String title, List<Sample> of, Function<Sample, String> key) {
    Map<String, Integer> counts = new HashMap<>();
    of.forEach(s -> counts.merge(key.apply(s), 1, Integer::sum));
    b.append(String.format("%n%s (%.0f %% of all samples):%n", title, 100.0 * of.size() / samples.size()));
    counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(TOP)
        .forEach(e -> b.append(String.format("- %.1f %% %s%n", 100.0 * e.getValue() / samples.size(), e.getKey())));
  }
}
