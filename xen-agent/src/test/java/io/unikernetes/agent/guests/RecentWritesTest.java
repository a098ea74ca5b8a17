package io.unikernetes.agent.guests;

import static org.assertj.core.api.Assertions.assertThat;

import io.unikernetes.api.v1alpha1.Unikernel;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class RecentWritesTest {

  private final RecentWrites writes = new RecentWrites(null, Clock.systemUTC());

  private static Unikernel version(String resourceVersion) {
    Unikernel guest = new Unikernel();
    guest.getMetadata().setUid("u1");
    guest.getMetadata().setResourceVersion(resourceVersion);
    return guest;
  }

  @Test
  void aReconcileSeesItsOwnWriteUntilTheInformerCatchesUp() {
    writes.remember(version("120"));
    assertThat(writes.freshest(version("100")).orElseThrow().getMetadata().getResourceVersion()).isEqualTo("120");
    // Revision 99 is before 120 though it sorts after it as text: versions compare as numbers.
    writes.remember(version("99"));
    Unikernel seen = writes.freshest(version("100")).orElseThrow();
    assertThat(seen.getMetadata().getResourceVersion()).isEqualTo("120");
    seen.getMetadata().setResourceVersion("121"); // a caller's edit is not what was written
    assertThat(writes.freshest(version("100")).orElseThrow().getMetadata().getResourceVersion()).isEqualTo("120");

    Unikernel caughtUp = version("120");
    assertThat(writes.freshest(caughtUp)).containsSame(caughtUp);
    assertThat(writes.size()).isZero();
  }

  @Test
  void aLaterWriteBySomeoneElseWins() {
    writes.remember(version("120"));
    Unikernel operatorsWrite = version("135");
    assertThat(writes.freshest(operatorsWrite)).containsSame(operatorsWrite);
    assertThat(writes.size()).isZero();
  }

  @Test
  void nothingWrittenMeansTheCachedCopy() {
    Unikernel cached = version("7");
    assertThat(writes.freshest(cached)).containsSame(cached);
    writes.remember(version("9"));
    writes.forget("u1");
    assertThat(writes.freshest(cached)).containsSame(cached);
  }
}
