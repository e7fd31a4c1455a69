package dev.sluice.loadtests.peers;

import dev.sluice.loadtests.consumer.CountingHandler;
import dev.sluice.loadtests.consumer.RunMeter;
import dev.sluice.loadtests.consumer.RunMeter.Run;
import io.vertx.core.VerticleBase;
import java.util.function.LongSupplier;

/**
 * One consumer to time, whichever library it comes from: deployed as a verticle (started and stopped on a worker
 * when the library blocks), timed from {@code clock}'s first call, done when {@code done} reaches the count expected.
 */
record Contender(String label, VerticleBase verticle, CountingHandler clock, LongSupplier done) {

  Run measure(RunMeter meter, long expected) throws Exception {
    return meter.measure(label, verticle, clock, done, expected);
  }

  Run measure(RunMeter meter, long expected, RunMeter.AfterRun after) throws Exception {
    return meter.measure(label, verticle, clock, done, expected, after);
  }
}
