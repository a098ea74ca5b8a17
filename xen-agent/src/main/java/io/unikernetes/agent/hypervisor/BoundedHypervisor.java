package io.unikernetes.agent.hypervisor;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A {@link Hypervisor} whose domain lifecycle calls (define and start, start, destroy, destroy and undefine) run
 * at most {@code parallelism} at a time; the others wait their turn in arrival order. The agent reconciles on
 * up to 50 threads: a burst of creates or deletes would otherwise put 50 starts on libvirtd at once, whose
 * workers and the host's CPUs then thrash instead of finishing guests (issue 12; hack/bench-node-burst.sh measures
 * which bound gives raw libvirt its best time). Lookups and listings stay unbounded: they are short reads and
 * must not queue behind starts.
 */
public final class BoundedHypervisor implements Hypervisor {

  private final Hypervisor delegate;
  private final Semaphore permits;
  private final AtomicInteger waiting = new AtomicInteger();

  /**
   * @param parallelism at least 1
   * @throws IllegalArgumentException when {@code parallelism} is below 1
   */
  public BoundedHypervisor(Hypervisor delegate, int parallelism, MeterRegistry registry) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1, not " + parallelism);
    }
    this.delegate = delegate;
    this.permits = new Semaphore(parallelism, true);
    Gauge.builder("unikernetes.libvirt.lifecycle.calls.in.flight", () -> parallelism - permits.availablePermits())
        .description("Domain lifecycle calls (define and start, start, destroy, undefine) libvirt runs now; at most "
            + "--libvirt-parallelism")
        .register(registry);
    Gauge.builder("unikernetes.libvirt.lifecycle.calls.waiting", waiting::get)
        .description("Domain lifecycle calls waiting for a turn under --libvirt-parallelism")
        .register(registry);
  }

  private <T> T bounded(Supplier<T> call) {
    waiting.incrementAndGet();
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      // The agent is stopping: not a libvirt failure, to be reported on the guest or counted against it.
      Thread.currentThread().interrupt();
      throw new CancellationException("interrupted while waiting for a turn to call libvirt");
    } finally {
      waiting.decrementAndGet();
    }
    try {
      return call.get();
    } finally {
      permits.release();
    }
  }

  private void bounded(Runnable call) {
    bounded(() -> {
      call.run();
      return null;
    });
  }

  @Override
  public DomainStatus defineAndStart(String domainXml) {
    return bounded(() -> delegate.defineAndStart(domainXml));
  }

  @Override
  public DomainStatus defineAndStart(String domainXml, Runnable starting) {
    return bounded(() -> delegate.defineAndStart(domainXml, starting));
  }

  @Override
  public DomainStatus start(String domainName) {
    return bounded(() -> delegate.start(domainName));
  }

  @Override
  public DomainStatus start(String domainName, Runnable starting) {
    return bounded(() -> delegate.start(domainName, starting));
  }

  @Override
  public void destroy(String domainName) {
    bounded(() -> delegate.destroy(domainName));
  }

  @Override
  public boolean destroyAndUndefine(String domainName) {
    return bounded(() -> delegate.destroyAndUndefine(domainName));
  }

  @Override
  public HostInfo hostInfo() {
    return delegate.hostInfo();
  }

  @Override
  public List<DomainStatus> guests() {
    return delegate.guests();
  }

  @Override
  public Optional<DomainStatus> find(GuestIdentity guest) {
    return delegate.find(guest);
  }

  @Override
  public String ensureNetwork(String name, String networkXml) {
    return delegate.ensureNetwork(name, networkXml);
  }

  @Override
  public void updateNetwork(String name, NetworkUpdate update, String hostXml) {
    delegate.updateNetwork(name, update, hostXml);
  }

  @Override
  public void onLifecycleEvent(Consumer<GuestIdentity> listener) {
    delegate.onLifecycleEvent(listener);
  }

  @Override
  public void onReconnect(Runnable listener) {
    delegate.onReconnect(listener);
  }

  @Override
  public void checkConnection() {
    delegate.checkConnection();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
