package io.unikernetes.agent.activity;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** When the host last forwarded traffic to each guest address it knows of. */
public interface GuestTraffic extends AutoCloseable {

  /**
   * The last time traffic went to each address seen within the last hour, or empty when this host cannot
   * tell (its rules are not installed): callers then take every guest for active.
   */
  Optional<Map<String, Instant>> lastSeen();

  @Override
  void close();

  /** A host whose guests have no network interface: nothing reaches them. */
  static GuestTraffic none() {
    return new GuestTraffic() {
      @Override
      public Optional<Map<String, Instant>> lastSeen() {
        return Optional.of(Map.of());
      }

      @Override
      public void close() {
      }
    };
  }

  /** A host that does not note traffic: every guest counts as active. */
  static GuestTraffic unknown() {
    return new GuestTraffic() {
      @Override
      public Optional<Map<String, Instant>> lastSeen() {
        return Optional.empty();
      }

      @Override
      public void close() {
      }
    };
  }
}
