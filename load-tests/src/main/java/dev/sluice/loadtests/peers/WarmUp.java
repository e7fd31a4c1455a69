package dev.sluice.loadtests.peers;

import dev.sluice.loadtests.consumer.CountingHandler;
import dev.sluice.loadtests.consumer.RunMeter;
import dev.sluice.loadtests.consumer.WrapperFactory;
import dev.sluice.quarantine.consumer.Concurrency;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Unreported: every contender once over the warm-up topic (10 % of it poison by key), in the ways the figures run
 * them, so that no timed run pays for the JIT alone.
 */
final class WarmUp {
  private final Rig rig;

  WarmUp(Rig rig) {
    this.rig = rig;
  }

  void run() throws Exception {
    String topic = PeerTopics.WARMUP;
    int n = PeerTopics.WARMUP_EVENTS;
    RunMeter meter = rig.meter();
    rig.progress().phase("warm-up", "each contender over " + n + " events, unreported");

    CountingHandler poisoned = new CountingHandler();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    rig.sluice().contender("warm-up Sluice, 10 % poison", topic, rig.groups().next(), Concurrency.ordered(),
        SluiceHandlers.rejectingPoison(poisoned), poisoned,
        () -> poisoned.calls() + WrapperFactory.quarantined(meters), meters).measure(meter, n);
    if (rig.options().onlyPoison()) {
      // Only the wrapper runs (--only-figure poison).
      return;
    }

    CountingHandler io = new CountingHandler();
    rig.sluice().contender("warm-up Sluice, I/O, by key", topic, rig.groups().next(), SluiceRunner.BY_KEY,
        SluiceHandlers.io(rig.vertx(), IoBoundFigure.WAIT, io), io, io::calls, new SimpleMeterRegistry())
        .measure(meter, n);

    CountingHandler bare = new CountingHandler();
    String bareGroup = rig.groups().next();
    rig.pollLoop().contender("warm-up poll loop", topic, bareGroup,
        PeerHandlers.decodeAndCount(rig.triage(), bareGroup, bare), bare).measure(meter, n);

    CountingHandler parallel = new CountingHandler();
    String pcGroup = rig.groups().next();
    rig.parallel().contender("warm-up Parallel Consumer", topic, pcGroup, IoBoundFigure.MAX_CONCURRENCY,
        PeerHandlers.decodeWaitAndCount(rig.triage(), pcGroup, IoBoundFigure.WAIT, parallel), parallel)
        .measure(meter, n);

    CountingHandler spring = new CountingHandler();
    String springGroup = rig.groups().next();
    rig.spring().contender("warm-up Spring Kafka", topic, springGroup,
        PeerHandlers.decodeRejectingPoison(rig.triage(), springGroup, spring), spring, new AtomicLong())
        .measure(meter, n);
  }
}
