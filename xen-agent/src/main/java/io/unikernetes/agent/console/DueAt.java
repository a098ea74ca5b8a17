package io.unikernetes.agent.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;

/** Something due at an instant of a clock, for a DelayQueue: the console watcher's and publisher's looks. */
abstract class DueAt implements Delayed {

  private final Clock clock;
  final Instant at;

  DueAt(Clock clock, Instant at) {
    this.clock = clock;
    this.at = at;
  }

  @Override
  public long getDelay(TimeUnit unit) {
    return unit.convert(Duration.between(clock.instant(), at).toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public int compareTo(Delayed other) {
    return at.compareTo(((DueAt) other).at);
  }
}
