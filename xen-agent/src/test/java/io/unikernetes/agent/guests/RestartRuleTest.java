package io.unikernetes.agent.guests;

import static org.assertj.core.api.Assertions.assertThat;

import io.unikernetes.agent.guests.RestartRule.Outcome;
import io.unikernetes.agent.hypervisor.StopReason;
import io.unikernetes.api.v1alpha1.spec.RestartPolicy;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RestartRuleTest {

  @ParameterizedTest
  @CsvSource({
      "Always,SHUTDOWN,RESTART", "Always,CRASHED,RESTART", "Always,KILLED,RESTART",
      "OnFailure,SHUTDOWN,SUCCEEDED", "OnFailure,CRASHED,RESTART", "OnFailure,UNKNOWN,RESTART",
      "Never,SHUTDOWN,SUCCEEDED", "Never,CRASHED,FAILED", "Never,KILLED,FAILED"})
  void outcomeFollowsThePolicy(RestartPolicy policy, StopReason reason, Outcome expected) {
    assertThat(RestartRule.decide(policy, reason)).isEqualTo(expected);
  }

  @Test
  void backoffDoublesUpToFiveMinutes() {
    assertThat(RestartRule.backoff(0)).isZero();
    assertThat(RestartRule.backoff(1)).isEqualTo(Duration.ofSeconds(10));
    assertThat(RestartRule.backoff(2)).isEqualTo(Duration.ofSeconds(20));
    assertThat(RestartRule.backoff(5)).isEqualTo(Duration.ofSeconds(160));
    assertThat(RestartRule.backoff(6)).isEqualTo(Duration.ofMinutes(5));
    assertThat(RestartRule.backoff(60)).isEqualTo(Duration.ofMinutes(5));
  }
}
