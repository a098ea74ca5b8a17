package io.unikernetes.agent.hypervisor;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.unikernetes.agent.domain.CpuSet;
import io.unikernetes.api.v1alpha1.spec.MemorySize;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.Library;
import org.libvirt.LibvirtException;
import org.libvirt.Network;
import org.libvirt.event.LifecycleListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Hypervisor} over libvirt-java. One connection, reopened when it breaks (libvirtd restarted);
 * lifecycle events come from libvirt's default event loop on a daemon thread. Every call is timed and its
 * failures counted.
 */
public final class LibvirtHypervisor implements Hypervisor {

  private static final Logger LOG = LoggerFactory.getLogger(LibvirtHypervisor.class);
  private static Thread eventLoop;

  @FunctionalInterface
  private interface Call<T> {
    T apply(Connect connect) throws LibvirtException;
  }

  private final String uri;
  private final MeterRegistry registry;
  private final List<Consumer<GuestIdentity>> listeners = new CopyOnWriteArrayList<>();
  private final List<Runnable> reconnectListeners = new CopyOnWriteArrayList<>();
  /** Whether a connection was ever open: opening another one means events may have been missed. */
  private boolean connectedBefore;
  /**
   * Registered with libvirt for as long as the connection lives, and deregistered before it closes: libvirt
   * keeps calling registered callbacks (and keeps the connection alive for them) after virConnectClose, so
   * a collected JNA callback would crash the event-loop thread.
   */
  private final LifecycleListener lifecycle = (domain, event) -> {
    try {
      // The owner comes from the domain's metadata: its name may be shortened and is not parsed.
      recordedOf(domain).map(DomainMetadata.Recorded::owner)
          .ifPresent(owner -> listeners.forEach(l -> l.accept(owner)));
    } catch (LibvirtException | RuntimeException e) {
      LOG.debug("ignoring lifecycle event {}: {}", event, e.getMessage());
    }
    return 0;
  };
  private Connect connect;
  /**
   * Our metadata of each domain seen (empty for domains not ours), by domain UUID. libvirt gives every define a
   * fresh random UUID (the domain XML names none) and the agent never edits a defined domain's metadata, so an
   * entry holds for the domain's life: a look at a guest costs its lookup and state, not its whole XML, which
   * was most of an idle agent's work at 1,000 guests (issue 12). Dropped on undefine, when a listing of all
   * domains no longer shows the domain (removed some other way), and with the connection.
   */
  private final Map<String, Optional<DomainMetadata.Recorded>> recordedByUuid = new ConcurrentHashMap<>();

  private LibvirtHypervisor(String uri, MeterRegistry registry) {
    this.uri = uri;
    this.registry = registry;
  }

  /** Opens the connection (failing fast when libvirt is unreachable) and starts the event loop once. */
  public static LibvirtHypervisor connect(String uri, MeterRegistry registry) {
    startEventLoop();
    LibvirtHypervisor hypervisor = new LibvirtHypervisor(uri, registry);
    hypervisor.call("connect", c -> c.getType());
    return hypervisor;
  }

  private static synchronized void startEventLoop() {
    if (eventLoop != null) {
      return;
    }
    try {
      // libvirt prints every error (even an expected "no such domain") to stderr unless told otherwise;
      // errors reach us as exceptions anyway.
      Connect.setErrorCallback((userData, error) -> { });
      Library.initEventLoop();
    } catch (LibvirtException e) {
      throw new HypervisorException("cannot start libvirt's event loop: " + e.getMessage(), e);
    }
    eventLoop = new Thread(() -> {
      try {
        Library.runEventLoop();
      } catch (LibvirtException | InterruptedException e) {
        LOG.error("libvirt event loop stopped", e);
      }
    }, "libvirt-events");
    eventLoop.setDaemon(true);
    eventLoop.start();
  }

  /**
   * The open connection, or a new one with the lifecycle callback registered on it. A new connection after an
   * earlier one tells the reconnect listeners: events sent while libvirtd was away are lost for good.
   */
  private Connect connection() throws LibvirtException {
    boolean reconnected;
    Connect current;
    synchronized (this) {
      if (connect != null && connect.isConnected()) {
        return connect;
      }
      connect = new Connect(uri);
      connect.addLifecycleListener(lifecycle);
      reconnected = connectedBefore;
      connectedBefore = true;
      current = connect;
    }
    if (reconnected) {
      LOG.info("reconnected to {}; lifecycle events re-registered, every guest is looked at again", uri);
      reconnectListeners.forEach(Runnable::run);
    }
    return current;
  }

  private synchronized void dropConnection() {
    if (connect != null) {
      try {
        connect.removeLifecycleListener(lifecycle);
      } catch (LibvirtException | RuntimeException e) {
        LOG.debug("deregistering lifecycle events of a broken connection: {}", e.getMessage());
      }
      try {
        connect.close();
      } catch (LibvirtException | RuntimeException e) {
        LOG.debug("closing a broken libvirt connection: {}", e.getMessage());
      }
      connect = null;
    }
    recordedByUuid.clear();
  }

  private <T> T call(String operation, Call<T> call) {
    Timer.Sample sample = Timer.start(registry);
    String outcome = "success";
    try {
      return call.apply(connection());
    } catch (LibvirtException e) {
      outcome = "error";
      Counter.builder("unikernetes.libvirt.errors").tag("operation", operation)
          .description("libvirt calls that failed, by operation").register(registry).increment();
      if (!isConnectionAlive()) {
        dropConnection();
      }
      throw new HypervisorException(operation + " failed on " + uri + ": " + e.getMessage() + hint(e), e);
    } finally {
      sample.stop(Timer.builder("unikernetes.libvirt.call.duration").tag("operation", operation)
          .tag("outcome", outcome).description("Latency of libvirt calls, by operation").register(registry));
    }
  }

  /** What a user can do about an error whose libvirt message alone does not say. */
  private static String hint(LibvirtException e) {
    boolean lockTimeout = e.getError() != null && e.getError().getCode() == ErrorNumber.VIR_ERR_OPERATION_TIMEOUT;
    return lockTimeout ? "; if this lasts, libvirtd was killed while starting the domain and holds its start job"
        + " for good: install deploy/systemd/libvirtd.service.d (it clears such domains before libvirtd starts)"
        + " and restart libvirtd" : "";
  }

  private synchronized boolean isConnectionAlive() {
    try {
      return connect != null && connect.isConnected() && connect.isAlive();
    } catch (LibvirtException e) {
      return false;
    }
  }

  @Override
  public HostInfo hostInfo() {
    return call("hostInfo", c -> {
      var node = c.nodeInfo();
      long version = c.getVersion();
      String versionText = (version / 1_000_000) + "." + (version / 1_000 % 1_000) + "." + (version % 1_000);
      String type = c.getType();
      MemorySize total = MemorySize.ofKibibytes(node.memory);
      // On Xen, libvirt's node memory is the whole machine's, dom0 included; dom0 is domain 0. Its memory is
      // fixed only with dom0_mem=X,max:X; otherwise dom0 balloons (max at or above the machine's total) and
      // what it holds now says nothing about what guests may have.
      MemorySize dom0 = MemorySize.ZERO;
      boolean ballooning = false;
      if ("xen".equalsIgnoreCase(type)) {
        var info = c.domainLookupByID(0).getInfo();
        ballooning = MemorySize.ofKibibytes(info.maxMem).compareTo(total) >= 0;
        dom0 = ballooning ? MemorySize.ZERO : MemorySize.ofKibibytes(info.memory);
      }
      return new HostInfo(type, versionText, total, node.cpus, uri, dom0, ballooning);
    });
  }

  /**
   * The numbers of the host's online CPUs (from libvirt's capabilities, ~11 KB here): read once at start for
   * --reserved-cpus, not on every XenNode refresh as {@link #hostInfo()} is.
   *
   * @throws HypervisorException when libvirt does not answer
   */
  public CpuSet hostCpus() {
    return call("hostCpus", c -> HostCpus.of(c.getCapabilities(), c.nodeInfo().cpus));
  }

  @Override
  public List<DomainStatus> guests() {
    return call("listDomains", c -> {
      List<DomainStatus> guests = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      for (int id : c.listDomains()) {
        Optional<Domain> domain = lookup(() -> c.domainLookupByID(id));
        if (domain.isPresent()) {
          seen.add(domain.get().getUUIDString());
          describe(domain.get()).ifPresent(guests::add);
        }
      }
      for (String name : c.listDefinedDomains()) {
        Optional<Domain> domain = lookup(() -> c.domainLookupByName(name));
        if (domain.isPresent()) {
          seen.add(domain.get().getUUIDString());
          describe(domain.get()).ifPresent(guests::add);
        }
      }
      // A domain defined after the listing began is dropped too; its next look reads its XML again.
      recordedByUuid.keySet().retainAll(seen);
      return guests;
    });
  }

  @Override
  public Optional<DomainStatus> find(GuestIdentity guest) {
    return call("lookupDomain", c -> {
      Optional<DomainStatus> found = describe(lookup(() -> c.domainLookupByName(DomainNames.of(guest))));
      String uncut = DomainNames.uncut(guest);
      // A domain defined by an agent that did not cut long names yet keeps its longer name.
      return found.isPresent() || uncut.equals(DomainNames.of(guest)) ? found
          : describe(lookup(() -> c.domainLookupByName(uncut)));
    });
  }

  @Override
  public DomainStatus defineAndStart(String domainXml) {
    return call("defineAndStart", c -> {
      Domain domain = c.domainDefineXML(domainXml);
      // Our metadata, from the XML just defined rather than read back: one call fewer per start, and known
      // before the domain's started event asks for it.
      recordedByUuid.put(domain.getUUIDString(), DomainMetadata.read(domainXml));
      try {
        domain.create();
      } catch (LibvirtException e) {
        // A domain that never started is not left defined: nothing stays behind a failed boot.
        recordedByUuid.remove(domain.getUUIDString());
        try {
          domain.undefine();
        } catch (LibvirtException undefine) {
          e.addSuppressed(undefine);
        }
        throw e;
      }
      return describe(domain).orElseThrow();
    });
  }

  @Override
  public DomainStatus start(String domainName) {
    return call("start", c -> {
      Domain domain = c.domainLookupByName(domainName);
      domain.create();
      return describe(domain).orElseThrow();
    });
  }

  @Override
  public void destroy(String domainName) {
    call("destroy", c -> {
      Optional<Domain> domain = lookup(() -> c.domainLookupByName(domainName));
      if (domain.isPresent() && domain.get().isActive() == 1) {
        domain.get().destroy();
      }
      return null;
    });
  }

  @Override
  public String ensureNetwork(String name, String networkXml) {
    return call("ensureNetwork", c -> {
      Network network = lookupNetwork(c, name).orElse(null);
      if (network == null) {
        network = c.networkDefineXML(networkXml);
        LOG.info("defined libvirt network {}", name);
      }
      if (network.isActive() != 1) {
        network.create();
        LOG.info("started libvirt network {} (bridge {})", name, network.getBridgeName());
      }
      if (!network.getAutostart()) {
        network.setAutostart(true);
      }
      return network.getXMLDesc(0);
    });
  }

  @Override
  public void updateNetwork(String name, NetworkUpdate update, String hostXml) {
    call("updateNetwork", c -> {
      NetworkUpdateCalls.update(c.networkLookupByName(name), update, hostXml);
      return null;
    });
  }

  @Override
  public boolean destroyAndUndefine(String domainName) {
    return call("destroyAndUndefine", c -> {
      Optional<Domain> domain = lookup(() -> c.domainLookupByName(domainName));
      if (domain.isEmpty()) {
        return false;
      }
      // Destroyed without asking first whether it runs: libvirtd serves 5 calls of a connection at once
      // (max_client_requests) and a burst of deletes keeps them busy, so each call more waits for a turn.
      // A domain that does not run refuses the destroy; only then is its state worth a call.
      String uuid = domain.get().getUUIDString();
      try {
        domain.get().destroy();
      } catch (LibvirtException e) {
        if (noDomain(e) || lookup(() -> c.domainLookupByUUIDString(uuid)).isEmpty()) {
          recordedByUuid.remove(uuid); // removed meanwhile (the orphan sweep, an admin): what was asked is done
          return true;
        }
        if (domain.get().isActive() == 1) {
          throw e;
        }
      }
      try {
        domain.get().undefine();
      } catch (LibvirtException e) {
        if (!noDomain(e)) {
          throw e;
        }
      }
      recordedByUuid.remove(uuid);
      return true;
    });
  }

  @Override
  public void onLifecycleEvent(Consumer<GuestIdentity> listener) {
    listeners.add(listener);
  }

  @Override
  public void onReconnect(Runnable listener) {
    reconnectListeners.add(listener);
  }

  /**
   * libvirt closes a connection whose daemon went away (its keepalive or the socket's end tells the event
   * loop), but nothing reopens it until the next call: this is that call, made periodically.
   */
  @Override
  public void checkConnection() {
    if (!isConnectionAlive()) {
      LOG.warn("connection to {} lost; reconnecting", uri);
      dropConnection();
    }
    call("checkConnection", c -> c.getType());
  }

  private Optional<DomainStatus> describe(Optional<Domain> domain) throws LibvirtException {
    return domain.isEmpty() ? Optional.empty() : describe(domain.get());
  }

  /** A Unikernetes domain's status; empty for domains without our metadata (not ours to touch). */
  private Optional<DomainStatus> describe(Domain domain) throws LibvirtException {
    Optional<DomainMetadata.Recorded> recorded = recordedOf(domain);
    if (recorded.isEmpty()) {
      return Optional.empty();
    }
    var state = DomainStateCalls.stateOf(domain);
    return Optional.of(new DomainStatus(domain.getName(), domain.getUUIDString(), domain.getID(), state.state(),
        state.reason(), recorded.get().owner(), recorded.get().ip()));
  }

  /** The domain's Unikernetes metadata, read from its XML once per domain; empty for domains not ours. */
  private Optional<DomainMetadata.Recorded> recordedOf(Domain domain) throws LibvirtException {
    String uuid = domain.getUUIDString();
    Optional<DomainMetadata.Recorded> known = recordedByUuid.get(uuid);
    if (known != null) {
      return known;
    }
    Optional<DomainMetadata.Recorded> read = DomainMetadata.read(domain.getXMLDesc(0));
    recordedByUuid.put(uuid, read);
    return read;
  }

  @FunctionalInterface
  private interface Lookup {
    Domain get() throws LibvirtException;
  }

  /** A lookup that maps "no such domain" (also: it vanished meanwhile) to empty. */
  private static Optional<Domain> lookup(Lookup lookup) throws LibvirtException {
    try {
      return Optional.of(lookup.get());
    } catch (LibvirtException e) {
      if (noDomain(e)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private static boolean noDomain(LibvirtException e) {
    return e.getError() != null && e.getError().getCode() == ErrorNumber.VIR_ERR_NO_DOMAIN;
  }

  private static Optional<Network> lookupNetwork(Connect connect, String name) throws LibvirtException {
    try {
      return Optional.of(connect.networkLookupByName(name));
    } catch (LibvirtException e) {
      if (e.getError() != null && e.getError().getCode() == ErrorNumber.VIR_ERR_NO_NETWORK) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public synchronized void close() {
    dropConnection();
  }
}
