package dev.sluice.quarantine.groups;

import io.vertx.core.Future;

/** Where a {@link Heartbeater} sends heartbeats: the {@link GroupRegistry}. */
public interface HeartbeatSink {
  /** Records that the instance is alive now, with what it says about itself. */
  Future<Void> heartbeat(GroupHeartbeat heartbeat);

  /** Removes the instance at once (a clean stop), rather than letting it expire. */
  Future<Void> remove(String group, String instanceId);
}
