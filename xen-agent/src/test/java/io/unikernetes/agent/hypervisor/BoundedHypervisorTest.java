package io.unikernetes.agent.hypervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BoundedHypervisorTest {

  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger mostAtOnce = new AtomicInteger();
  private final CountDownLatch release = new CountDownLatch(1);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  /** Lifecycle calls block until released and count how many run at once; find answers at once. */
  private Hypervisor slowLibvirt() {
    return (Hypervisor) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Hypervisor.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "find" -> Optional.empty();
          case "defineAndStart", "start", "destroy", "destroyAndUndefine" -> {
            if (args.length > 1 && args[1] instanceof Runnable starting) {
              starting.run(); // as a real delegate's default method does, right before calling libvirt
            }
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            release.await();
            running.decrementAndGet();
            yield method.getReturnType() == boolean.class ? Boolean.TRUE : null;
          }
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }

  private double gauge(String name) {
    return registry.get(name).gauge().value();
  }

  @Test
  void runsAtMostTheBoundAtOnceAndLookupsNeverWait() throws Exception {
    BoundedHypervisor hypervisor = new BoundedHypervisor(slowLibvirt(), 3, registry);
    ExecutorService threads = Executors.newFixedThreadPool(10);
    try {
      List<Future<?>> calls = new ArrayList<>();
      List<String> starts = new java.util.concurrent.CopyOnWriteArrayList<>();
      for (int i = 0; i < 10; i++) {
        String name = "uk-" + i;
        calls.add(threads.submit(() -> switch (Integer.parseInt(name.substring(3)) % 4) {
          case 0 -> hypervisor.defineAndStart("<domain/>", () -> starts.add(name));
          case 1 -> hypervisor.start(name, () -> starts.add(name));
          case 2 -> runAndReturn(() -> hypervisor.destroy(name));
          default -> runAndReturn(() -> hypervisor.destroyAndUndefine(name));
        }));
      }
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
          .until(() -> gauge("unikernetes.libvirt.lifecycle.calls.waiting") == 7);
      // A start's time begins once its turn came, not while it waited.
      assertThat(starts.size()).isLessThanOrEqualTo(3);
      assertThat(gauge("unikernetes.libvirt.lifecycle.calls.in.flight")).isEqualTo(3);
      assertThat(hypervisor.find(new GuestIdentity("uid", "ns", "a", "node"))).isEmpty(); // not queued behind them

      release.countDown();
      for (Future<?> call : calls) {
        call.get(10, TimeUnit.SECONDS);
      }
      assertThat(mostAtOnce.get()).isEqualTo(3);
      assertThat(starts).hasSize(6); // uk-0, 4, 8 defined and started; uk-1, 5, 9 started again
      assertThat(gauge("unikernetes.libvirt.lifecycle.calls.in.flight")).isZero();
    } finally {
      threads.shutdownNow();
    }
  }

  private static Object runAndReturn(Runnable call) {
    call.run();
    return null;
  }

  @Test
  void aBoundBelowOneIsRefused() {
    assertThatThrownBy(() -> new BoundedHypervisor(slowLibvirt(), 0, registry))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
  }
}
