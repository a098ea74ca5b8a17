package io.unikernetes.agent.hypervisor;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** The narrow view of libvirt the agent needs. Only domains carrying Unikernetes metadata are visible. */
public interface Hypervisor extends AutoCloseable {

  HostInfo hostInfo();

  /** Every Unikernetes domain on this host, running or not. */
  List<DomainStatus> guests();

  /** The domain of this Unikernel, if any. */
  Optional<DomainStatus> find(GuestIdentity guest);

  /** Defines a persistent domain from XML and starts it. */
  DomainStatus defineAndStart(String domainXml);

  /**
   * {@link #defineAndStart(String)}, calling {@code starting} right before libvirt is asked, after any wait for a
   * turn ({@link BoundedHypervisor}): where a guest's start time (its boot duration, its restart backoff) begins.
   */
  default DomainStatus defineAndStart(String domainXml, Runnable starting) {
    starting.run();
    return defineAndStart(domainXml);
  }

  /** Starts an already defined, shut-off domain again. */
  DomainStatus start(String domainName);

  /** {@link #start(String)}, calling {@code starting} as {@link #defineAndStart(String, Runnable)} does. */
  default DomainStatus start(String domainName, Runnable starting) {
    starting.run();
    return start(domainName);
  }

  /** Stops the domain at once (it stays defined, shut off); no-op when it does not run. */
  void destroy(String domainName);

  /**
   * Stops the domain if it runs and removes its definition; no-op when it does not exist.
   *
   * @return whether a domain of that name was there
   */
  boolean destroyAndUndefine(String domainName);

  /**
   * Makes sure the libvirt network {@code name} exists, is active and starts with the host: defines it from
   * {@code networkXml} and starts it when it is missing, starts it when it is defined but inactive, and
   * otherwise leaves it as it is (a running network is never redefined: that would detach its guests).
   *
   * @return the network's XML as libvirt now has it
   */
  String ensureNetwork(String name, String networkXml);

  /** Applies {@code update} with {@code hostXml} (one {@code <host mac ip/>}) to the running network and its definition. */
  void updateNetwork(String name, NetworkUpdate update, String hostXml);

  /** Called on libvirt's event thread with the owner of a Unikernetes domain whenever it changes state. */
  void onLifecycleEvent(Consumer<GuestIdentity> listener);

  /** Called after the connection was lost and opened again: lifecycle events may have been missed. */
  void onReconnect(Runnable listener);

  /** Reopens a lost connection; HypervisorException when libvirt cannot be reached. */
  void checkConnection();

  @Override
  void close();
}
