package io.unikernetes.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Whether a guest joins its node's guest network. */
public enum NetworkMode {
  /** A virtual network interface on the node's guest bridge, with an address from the node's guest subnet. */
  @JsonProperty("bridge")
  BRIDGE,
  /** No network interface at all: for batch guests that need none. */
  @JsonProperty("none")
  NONE
}
