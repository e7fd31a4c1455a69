package dev.sluice.deploy.testing;

import io.vertx.core.Context;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Things with a start and a stop (wrapped consumers) that a test runs on one Vert.x, each deployed on a context of its
 * own as a service would run it: started by its deployment, stopped by its undeployment.
 */
public final class ServiceVerticles {
  private final Vertx vertx;
  private final List<String> deployed = new CopyOnWriteArrayList<>();

  public ServiceVerticles(Vertx vertx) {
    this.vertx = vertx;
  }

  /** One service as Vert.x deploys it. */
  private record Service(Supplier<Future<Void>> start, Supplier<Future<Void>> stop) implements Deployable {
    @Override
    public Future<?> deploy(Context context) {
      return start.get();
    }

    @Override
    public Future<?> undeploy(Context context) {
      return stop.get();
    }
  }

  /** Deploys a service and waits until it started; answers its deployment, for {@link #stop(String)}. */
  public String start(Supplier<Future<Void>> start, Supplier<Future<Void>> stop) throws Exception {
    String id = vertx.deployVerticle(new Service(start, stop)).toCompletionStage().toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
    deployed.add(id);
    return id;
  }

  /** Stops one service, if it still runs, and waits until it stopped. */
  public void stop(String deployment) throws Exception {
    if (deployed.remove(deployment)) {
      vertx.undeploy(deployment).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }

  /** Stops every service still running. */
  public void stopAll() throws Exception {
    for (String d : List.copyOf(deployed)) {
      stop(d);
    }
  }
}
