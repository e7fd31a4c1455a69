package dev.sluice.loadtests.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The run's figures as Markdown and CSV: what {@code ./sluice load} prints at the end and leaves in its directory. */
public final class LoadSummary {
  private final StringBuilder md = new StringBuilder();

  LoadSummary(String title) {
    md.append("# ").append(title).append("\n\n");
  }

  void line(String text) {
    md.append(text).append('\n');
  }

  void blank() {
    md.append('\n');
  }

  /** The totals and latency percentiles of a whole recorder. */
  void traffic(String label, TimeSeriesRecorder.Window w, double seconds) {
    line(String.format("**%s**: %,d requests started, %,d answered as expected, %,d not (%.2f %%), %,d unanswered; "
            + "%,.0f expected answers/s over %.0f s", label, w.sent(), w.ok(), w.ko(),
        w.sent() == 0 ? 0 : 100.0 * w.ko() / w.sent(), w.pending(), seconds <= 0 ? 0 : w.ok() / seconds, seconds));
    // Answered requests only: the unanswered are counted above (a ramp's are cut off when it stops the generator).
    long[] h = w.histogram();
    line(String.format("latency from scheduled start, answered requests: p50 %s, p95 %s, p99 %s, p99.9 %s, max %s",
        millis(Histogram.percentile(h, 0, 50)), millis(Histogram.percentile(h, 0, 95)),
        millis(Histogram.percentile(h, 0, 99)), millis(Histogram.percentile(h, 0, 99.9)),
        millis(Histogram.max(h))));
    blank();
  }

  void ramp(RampPlan plan, KneeFinder.Result result) {
    line(String.format("Ramp: steps of %d s from %,.0f/s by %,.0f/s up to %,.0f/s; a step passes with errors <= %.2f "
            + "%% and p99 <= %s (requests unanswered %s after the step count as errors).",
        plan.stepDuration().toSeconds(), plan.startRate(), plan.stepRate(), plan.maxRate(),
        plan.maxErrorRatio() * 100, millis(plan.maxP99().toNanos() / 1000),
        millis(RampMonitor.grace(plan).toNanos() / 1000)));
    blank();
    line("| Step | Offered/s | Answered as expected/s | Errors | p99 | Result |");
    line("|---|---|---|---|---|---|");
    int i = 1;
    boolean broken = false;
    for (KneeFinder.Verdict v : result.verdicts()) {
      KneeFinder.Step s = v.step();
      line(String.format("| %d | %,.0f | %,.0f | %.2f %% | %s | %s |", i++, s.offeredRate(), s.achievedRate(),
          s.errorRatio() * 100, millis(s.p99Micros()), broken ? "after the break (generator stopping)"
              : v.reason().map(r -> "**fail**: " + r).orElse("pass")));
      broken |= !v.passed();
    }
    blank();
    Optional<KneeFinder.Step> knee = result.knee();
    line(knee.map(k -> String.format("**Knee: %,.0f requests/s** (the highest step that met the thresholds; %,.0f "
            + "answered as expected/s, p99 %s).", k.offeredRate(), k.achievedRate(), millis(k.p99Micros())))
        .orElse("**No knee: the first step already failed.** Lower --ramp-start."));
    line(result.firstFailure().map(f -> String.format("Destruction at %,.0f/s: %s.", f.step().offeredRate(),
        f.reason().orElse(""))).orElse("No step failed up to --ramp-max: the knee is above it."));
    blank();
  }

  void consumer(List<ConsumerWatch.Sample> samples, double loadSeconds, String problem) {
    if (samples.size() < 2) {
      line("Consumer: its /metrics could not be read" + (problem == null ? "" : " (" + problem + ")") + ".");
      blank();
      return;
    }
    ConsumerWatch.Sample first = samples.get(0);
    ConsumerWatch.Sample last = samples.get(samples.size() - 1);
    ConsumerWatch.Sample endOfLoad = first;
    double maxLag = 0;
    double maxAge = 0;
    for (ConsumerWatch.Sample s : samples) {
      if (s.second() <= loadSeconds + 0.5) {
        endOfLoad = s;
      }
      maxLag = Math.max(maxLag, s.lag());
      maxAge = Math.max(maxAge, s.headOfLineAgeSeconds());
    }
    double during = Math.max(1e-9, endOfLoad.second() - first.second());
    line(String.format("Consumer (its /metrics, every second): during the load it handled %,.0f events (%,.0f/s) and "
            + "quarantined %,.0f (%,.0f/s); by the end of watching, %,.0f handled and %,.0f quarantined in all.",
        endOfLoad.handled() - first.handled(), (endOfLoad.handled() - first.handled()) / during,
        endOfLoad.quarantined() - first.quarantined(), (endOfLoad.quarantined() - first.quarantined()) / during,
        last.handled() - first.handled(), last.quarantined() - first.quarantined()));
    line(String.format("Lag: at most %,.0f records, %,.0f at the end (%.0f s after the start); head-of-line age at "
        + "most %.1f s.", maxLag, last.lag(), last.second(), maxAge));
    blank();
  }

  void redriveJob(RedriveJobDriver job, double rate) {
    RedriveJobDriver.Sample last = job.last();
    line(String.format("Bulk redrive job %s (POST /api/v1/redrives, %,.0f/s): %,d items matched.", job.id(), rate,
        job.matched()));
    if (last != null) {
      List<RedriveJobDriver.Sample> all = job.samples();
      RedriveJobDriver.Sample firstSent = all.stream().filter(x -> x.sent() > 0).findFirst().orElse(last);
      double span = Math.max(1, last.second() - firstSent.second());
      line(String.format("At the end: %s, %,d sent (%,.0f/s from the first one), %,d succeeded, %,d failed again, "
          + "%,d skipped.", last.state(), last.sent(), (last.sent() - firstSent.sent()) / span,
          last.succeeded(), last.failedAgain(), last.skipped()));
    }
    if (job.lastProblem() != null) {
      line("Last problem reading the job: " + job.lastProblem());
    }
    blank();
  }

  String markdown() {
    return md.toString();
  }

  void write(Path file) throws IOException {
    Files.writeString(file, md.toString(), StandardCharsets.UTF_8);
  }

  static void writeCsv(Path file, List<SecondStats> series) throws IOException {
    StringBuilder b = new StringBuilder("second,offered_per_s,sent,ok,ko,p50_ms,p95_ms,p99_ms,max_ms\n");
    for (SecondStats s : series) {
      b.append(s.second()).append(',').append(String.format("%.0f", s.offered())).append(',').append(s.sent())
          .append(',').append(s.ok()).append(',').append(s.ko()).append(',').append(csvMillis(s.p50Micros()))
          .append(',').append(csvMillis(s.p95Micros())).append(',').append(csvMillis(s.p99Micros())).append(',')
          .append(csvMillis(s.maxMicros())).append('\n');
    }
    Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
  }

  static void writeConsumerCsv(Path file, List<ConsumerWatch.Sample> samples) throws IOException {
    StringBuilder b = new StringBuilder("second,handled_total,quarantined_total,lag_records,head_of_line_age_s\n");
    for (ConsumerWatch.Sample s : samples) {
      b.append(String.format("%.1f,%.0f,%.0f,%.0f,%.3f%n", s.second(), s.handled(), s.quarantined(), s.lag(),
          s.headOfLineAgeSeconds()));
    }
    Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
  }

  private static String csvMillis(long micros) {
    return micros < 0 ? "" : String.format("%.2f", micros / 1000.0);
  }

  /** Microseconds as milliseconds for people; "-" when nothing was measured, "unanswered" past every bucket. */
  static String millis(long micros) {
    if (micros < 0) {
      return "-";
    }
    if (micros == Long.MAX_VALUE) {
      return "unanswered";
    }
    return micros < 10_000 ? String.format("%.2f ms", micros / 1000.0) : String.format("%,.0f ms", micros / 1000.0);
  }
}
