package dev.sluice.loadtests.replay;

import dev.sluice.loadtests.harness.Progress;
import dev.sluice.quarantine.replay.GroupUse;
import dev.sluice.quarantine.replay.OffsetPlan;
import dev.sluice.quarantine.replay.Replay;
import dev.sluice.quarantine.replay.ReplayFrom;
import dev.sluice.quarantine.replay.ReplayKafka;
import dev.sluice.quarantine.replay.ReplayStore;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Starts a cold-start replay from {@code earliest} for a new group, through the same calls as the console's start
 * (redrive-console's {@code Replays.start}): the group is new ({@link ReplayKafka#use}), the log's start and captured
 * end offsets ({@link ReplayKafka#log}, planned by {@link dev.sluice.quarantine.replay.LogSnapshot#plan}), the replay
 * stored RUNNING with its group's lock ({@link ReplayStore#create}), the start offsets committed as the group's
 * ({@link ReplayKafka#commitStart}). The console's request checks and audit record are left out: they happen once per
 * replay and cost nothing per event. Blocking: for the benchmark's main thread.
 */
final class ColdStart {
  private static final long CALL_SECONDS = 60;

  private final ReplayStore store;
  private final ReplayKafka kafka;

  ColdStart(ReplayStore store, ReplayKafka kafka) {
    this.store = store;
    this.kafka = kafka;
  }

  /** The replay started, RUNNING, with the group placed at its start. */
  Replay start(String stream, String topic, String group) {
    ReplayFrom from = ReplayFrom.earliest();
    GroupUse use = Progress.await(kafka.use(group), CALL_SECONDS);
    if (!use.isNew()) {
      throw new IllegalStateException("group " + group + " is not new: " + use);
    }
    OffsetPlan plan = Progress.await(kafka.log(topic, from), CALL_SECONDS)
        .orElseThrow(() -> new IllegalStateException("topic " + topic + " is not in Kafka"))
        .plan(from).ready().orElseThrow();
    Replay replay = Replay.started(HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()),
        new Replay.Target(stream, group, from), plan, "replay-benchmark", store.clock().instant());
    if (!(Progress.await(store.create(replay), CALL_SECONDS) instanceof ReplayStore.Stored)) {
      throw new IllegalStateException("group " + group + " has an active replay already");
    }
    if (!Progress.await(kafka.commitStart(group, plan), CALL_SECONDS)) {
      throw new IllegalStateException("group " + group + " got a member while its replay was being started");
    }
    return replay;
  }
}
