package io.unikernetes.agent.registration;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.unikernetes.agent.hypervisor.DomainStatus;
import io.unikernetes.agent.hypervisor.Hypervisor;
import io.unikernetes.agent.volumes.GuestVolumes;
import java.io.IOException;
import java.util.HashSet;
import io.unikernetes.api.v1alpha1.Unikernel;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes this node's domains whose Unikernel no longer exists (deleted while the agent was away with its
 * finalizer forced off, or bound elsewhere), and the disk files of such guests. Domains without Unikernetes
 * metadata are never touched.
 */
public class OrphanReaper {

  private static final Logger LOG = LoggerFactory.getLogger(OrphanReaper.class);

  private final KubernetesClient client;
  private final Hypervisor hypervisor;
  private final String nodeName;
  private final Supplier<Stream<Unikernel>> cachedGuests;
  private final GuestVolumes volumes;

  /** {@code cachedGuests}: the node's guests as the agent's informer holds them, to skip the API when all is well. */
  public OrphanReaper(KubernetesClient client, Hypervisor hypervisor, String nodeName,
      Supplier<Stream<Unikernel>> cachedGuests, GuestVolumes volumes) {
    this.volumes = volumes;
    this.client = client;
    this.hypervisor = hypervisor;
    this.nodeName = nodeName;
    this.cachedGuests = cachedGuests;
  }

  private Set<String> filesOwners() {
    try {
      return volumes.guestsWithFiles();
    } catch (IOException e) {
      LOG.warn("cannot list the guests' disk files: {}", e.getMessage());
      return new HashSet<>();
    }
  }

  /** Returns the names of the domains removed. */
  public List<String> sweep() {
    // Domains first, then the API: a domain that exists now had its Unikernel created before this list.
    List<DomainStatus> domains = hypervisor.guests().stream()
        .filter(d -> nodeName.equals(d.owner().node()))
        .toList();
    // Only a domain whose guest the cache lacks may be an orphan. The cache alone never condemns a domain (it
    // may lag); it only spares the API a list of every guest on the node each sweep when none is missing.
    Set<String> withFiles = filesOwners();
    Set<String> cached = cachedGuests.get().map(u -> u.getMetadata().getUid()).collect(Collectors.toSet());
    if (domains.stream().allMatch(d -> cached.contains(d.owner().uid())) && cached.containsAll(withFiles)) {
      return List.of();
    }
    Set<String> live = client.resources(Unikernel.class).inAnyNamespace()
        .withField("spec.nodeName", nodeName).list().getItems().stream()
        .map(u -> u.getMetadata().getUid())
        .collect(Collectors.toSet());
    List<String> removed = domains.stream().filter(d -> !live.contains(d.owner().uid())).map(DomainStatus::name).toList();
    for (String name : removed) {
      LOG.info("removing orphaned domain {}: its Unikernel no longer exists on node {}", name, nodeName);
      hypervisor.destroyAndUndefine(name);
    }
    for (String uid : withFiles) {
      if (!live.contains(uid)) {
        LOG.info("removing the disk files of guest {}: its Unikernel no longer exists on node {}", uid, nodeName);
        try {
          volumes.release(uid);
        } catch (IOException e) {
          LOG.warn("cannot remove the disk files of guest {}: {}", uid, e.getMessage());
        }
      }
    }
    return removed;
  }
}
