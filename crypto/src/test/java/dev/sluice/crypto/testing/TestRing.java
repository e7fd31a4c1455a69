package dev.sluice.crypto.testing;

import dev.sluice.crypto.CryptoSettings;
import dev.sluice.crypto.kek.Kek;
import dev.sluice.crypto.keys.KeyCache;
import dev.sluice.crypto.keys.KeyRing;
import dev.sluice.crypto.keys.KeyRows;
import io.vertx.core.Vertx;
import java.time.Clock;

/** A key ring over rows and a KEK a test chose, with a cache on a ticker it moves by hand. */
public final class TestRing {
  public static final CryptoSettings SETTINGS = CryptoSettings.defaults("local:/unused");

  private TestRing() {}

  public static KeyRing over(Vertx vertx, KeyRows rows, Kek kek, HandTicker ticker, CryptoSettings settings) {
    return new KeyRing(new KeyRing.Parts(vertx, rows, kek, new KeyCache(settings, ticker), settings.keyCalls(),
        Clock.systemUTC()));
  }

  public static KeyRing over(Vertx vertx, KeyRows rows, Kek kek, HandTicker ticker) {
    return over(vertx, rows, kek, ticker, SETTINGS);
  }
}
