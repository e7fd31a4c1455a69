package dev.sluice.loadtests.peers;

import dev.sluice.loadtests.consumer.Prefill;
import dev.sluice.loadtests.consumer.RunMeter;
import dev.sluice.loadtests.harness.Progress;
import dev.sluice.loadtests.method.Rounds;
import dev.sluice.quarantine.consumer.Triage;
import dev.sluice.quarantine.store.QuarantineStore;
import io.vertx.core.Vertx;

/**
 * What every figure of the peers benchmark runs with: the engines' clients, one runner per contender, a fresh group
 * name for each run, and the options.
 *
 * @param triage the wrapper's own decode-and-validate step, for the peers to do the same work per record
 */
record Rig(Vertx vertx, QuarantineStore store, Prefill prefill, Triage triage, GroupNames groups, Progress progress,
    PeersOptions options, SluiceRunner sluice, PollLoopRunner pollLoop, ParallelConsumerRunner parallel,
    SpringKafkaRunner spring) {

  /** Times one run, bounded by the options' run limit. */
  RunMeter meter() {
    return new RunMeter(vertx, options.runLimit(), progress);
  }

  /** The shared method, by the options' plan, over {@code variants}: each warmed up, then run in rounds. */
  Rounds rounds(TimedVariant... variants) {
    Rounds rounds = new Rounds(options.plan(), progress::note);
    for (TimedVariant v : variants) {
      rounds.variant(v.name(), v);
    }
    return rounds;
  }
}
