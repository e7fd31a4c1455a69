package dev.sluice.loadtests.ingest;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Marks every event-loop thread of a Vert.x instance with its part of the benchmark ({@link ThreadRoleEvent}). */
final class EventLoopRoles {
  private EventLoopRoles() {}

  static void mark(Vertx vertx, CpuAttribution.Part part) {
    List<Future<?>> marked = new ArrayList<>();
    for (EventExecutor loop : ((VertxInternal) vertx).nettyEventLoopGroup()) {
      marked.add(loop.submit(() -> new ThreadRoleEvent(part).commit()));
    }
    for (Future<?> f : marked) {
      if (!f.awaitUninterruptibly(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("an event loop did not run a task within 10 s");
      }
    }
  }
}
