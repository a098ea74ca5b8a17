package io.unikernetes.agent.activity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NftGuestTrafficTest {

  private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

  @Test
  void anElementsRemainingTimeTellsWhenItsAddressLastHadTraffic() throws Exception {
    // As nft 1.0.6 prints it (nft -j list set inet TABLE seen): whole seconds left, rounded down, so an element
    // with 3597 s left was refreshed between 3 and 2 s ago, and counts as 2.
    String json = "{\"nftables\": [{\"metainfo\": {\"version\": \"1.0.6\", \"json_schema_version\": 1}}, "
        + "{\"set\": {\"family\": \"inet\", \"name\": \"seen\", \"table\": \"t\", \"type\": \"ipv4_addr\", "
        + "\"handle\": 2, \"size\": 65536, \"flags\": [\"timeout\"], \"timeout\": 3600, "
        + "\"elem\": [{\"elem\": {\"val\": \"10.240.1.5\", \"expires\": 3597}}, "
        + "{\"elem\": {\"val\": \"10.240.1.6\", \"timeout\": 60, \"expires\": 50}}]}}]}";
    Map<String, Instant> seen = new HashMap<>(Map.of("10.240.1.5", NOW.minusSeconds(1)));

    NftGuestTraffic.parse(json, NOW, seen);

    assertThat(seen).containsEntry("10.240.1.5", NOW.minusSeconds(1)) // the later of the two families
        .containsEntry("10.240.1.6", NOW.minusSeconds(9));
  }

  @Test
  void anEmptySetNamesNoAddress() throws Exception {
    Map<String, Instant> seen = new HashMap<>();
    NftGuestTraffic.parse("{\"nftables\": [{\"set\": {\"name\": \"seen\", \"timeout\": 3600}}]}", NOW, seen);
    assertThat(seen).isEmpty();
  }
}
