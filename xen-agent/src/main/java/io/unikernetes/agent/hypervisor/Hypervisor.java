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

  /** Starts an already defined, shut-off domain again. */
  DomainStatus start(String domainName);

  /** Stops the domain at once (it stays defined, shut off); no-op when it does not run. */
  void destroy(String domainName);

  /** Stops the domain if it runs and removes its definition; no-op when it does not exist. */
  void destroyAndUndefine(String domainName);

  /** Called on libvirt's event thread with the owner of a Unikernetes domain whenever it changes state. */
  void onLifecycleEvent(Consumer<GuestIdentity> listener);

  /** Called after the connection was lost and opened again: lifecycle events may have been missed. */
  void onReconnect(Runnable listener);

  /** Reopens a lost connection; HypervisorException when libvirt cannot be reached. */
  void checkConnection();

  @Override
  void close();
}
