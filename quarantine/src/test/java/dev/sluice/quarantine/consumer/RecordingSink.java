package dev.sluice.quarantine.consumer;

import dev.sluice.quarantine.groups.GroupHeartbeat;
import dev.sluice.quarantine.groups.HeartbeatSink;
import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps the heartbeats a presence sends; an in-memory implementation of our own interface. */
final class RecordingSink implements HeartbeatSink {
  final List<GroupHeartbeat> sent = new CopyOnWriteArrayList<>();

  @Override
  public Future<Void> heartbeat(GroupHeartbeat heartbeat) {
    sent.add(heartbeat);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> remove(String group, String instanceId) {
    return Future.succeededFuture();
  }
}
