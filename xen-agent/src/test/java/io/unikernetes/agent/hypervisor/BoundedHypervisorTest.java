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
          case "defineAndStart", "destroyAndUndefine" -> {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            release.await();
            running.decrementAndGet();
            yield null;
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
      for (int i = 0; i < 10; i++) {
        String name = "uk-" + i;
        boolean define = i % 2 == 0;
        calls.add(threads.submit(() -> define ? hypervisor.defineAndStart("<domain/>")
            : runAndReturn(() -> hypervisor.destroyAndUndefine(name))));
      }
      while (gauge("unikernetes.libvirt.lifecycle.calls.waiting") < 7) {
        Thread.sleep(10);
      }
      assertThat(gauge("unikernetes.libvirt.lifecycle.calls.in.flight")).isEqualTo(3);
      assertThat(hypervisor.find(new GuestIdentity("uid", "ns", "a", "node"))).isEmpty(); // not queued behind them

      release.countDown();
      for (Future<?> call : calls) {
        call.get(10, TimeUnit.SECONDS);
      }
      assertThat(mostAtOnce.get()).isEqualTo(3);
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
