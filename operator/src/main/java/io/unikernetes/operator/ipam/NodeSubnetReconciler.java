package io.unikernetes.operator.ipam;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.unikernetes.api.v1alpha1.XenNode;
import io.unikernetes.api.v1alpha1.status.Reason;
import io.unikernetes.common.client.MergePatch;
import io.unikernetes.common.events.EventRecorder;
import io.unikernetes.common.net.Ipv4Subnet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Gives each XenNode a guest subnet (spec.guestSubnet) from the cluster's pool, as Kubernetes' node IPAM
 * sets a Node's podCIDR. The subnet lives in the XenNode itself, so nothing is kept only in memory: after a
 * restart the allocations are read back from the API. One node at a time, counting the subnets this process
 * wrote that its cache does not show yet; the update is guarded by resourceVersion, and the API server keeps
 * a set subnet from ever changing.
 */
public class NodeSubnetReconciler implements Reconciler<XenNode> {

  /** How soon a node waits again for a subnet when the pool is exhausted. */
  private static final Duration EXHAUSTED_RETRY = Duration.ofMinutes(1);

  private final NodeSubnetAllocator allocator;
  private final EventRecorder events;
  private final Map<String, Ipv4Subnet> written = new ConcurrentHashMap<>();

  public NodeSubnetReconciler(NodeSubnetAllocator allocator, EventRecorder events) {
    this.allocator = allocator;
    this.events = events;
  }

  @Override
  public UpdateControl<XenNode> reconcile(XenNode node, Context<XenNode> context) {
    if (node.getMetadata().getDeletionTimestamp() != null) {
      return UpdateControl.noUpdate();
    }
    String name = node.getMetadata().getName();
    Optional<Ipv4Subnet> own = subnetOf(node);
    if (own.isPresent()) {
      // `written` is pruned only under the lock, from the same snapshot allocation reads (below).
      List<XenNode> others = othersThan(name, context);
      others.stream().filter(o -> subnetOf(o).filter(own.get()::overlaps).isPresent()).findFirst()
          .ifPresent(o -> events.record(node, EventRecorder.Type.Warning, Reason.GuestSubnetOverlaps,
              "guestSubnet " + own.get() + " overlaps " + o.getMetadata().getName() + "'s " + subnetOf(o).get()
                  + ": guests of the two nodes may get the same address; delete one XenNode and register it "
                  + "again with another subnet"));
      return UpdateControl.noUpdate();
    }
    Ipv4Subnet assigned;
    synchronized (this) {
      // Read inside the lock: a node allocated meanwhile is either in the cache or still in `written`.
      List<XenNode> others = othersThan(name, context);
      // Forgotten once that same snapshot shows the subnet (or the node gone), so none falls between the two.
      Map<String, XenNode> byName = others.stream().collect(Collectors.toMap(o -> o.getMetadata().getName(), o -> o));
      written.keySet().removeIf(n -> !n.equals(name)
          && Optional.ofNullable(byName.get(n)).map(o -> subnetOf(o).isPresent()).orElse(true));
      List<Ipv4Subnet> taken = new ArrayList<>();
      others.forEach(o -> subnetOf(o).ifPresent(taken::add));
      written.forEach((n, subnet) -> {
        if (!n.equals(name)) {
          taken.add(subnet);
        }
      });
      // A subnet already written for this node (the cache may not show it yet) is written again, never another.
      Optional<Ipv4Subnet> next = Optional.ofNullable(written.get(name)).or(() -> allocator.next(taken));
      if (next.isEmpty()) {
        events.record(node, EventRecorder.Type.Warning, Reason.GuestPoolExhausted, "no free /"
            + allocator.nodePrefixLength() + " left in the guest pool " + allocator.pool() + " (" + allocator.capacity()
            + " node subnets): the node's guests get no address until a XenNode is deleted or the pool grows");
        return UpdateControl.<XenNode>noUpdate().rescheduleAfter(EXHAUSTED_RETRY);
      }
      // A merge patch of that one field: the agent's label updates need not conflict with it, and should a
      // subnet have been set meanwhile, the API server refuses to change it (the field is immutable once set).
      // Counted before the patch, and not forgotten if it fails: a patch that timed out may still have landed.
      written.put(name, next.get());
      MergePatch.apply(context.getClient(), XenNode::new, null, name,
          "{\"spec\":{\"guestSubnet\":\"" + next.get() + "\"}}");
      assigned = next.get();
    }
    events.record(node, EventRecorder.Type.Normal, Reason.GuestSubnetAssigned,
        "guest subnet " + assigned + " from the pool " + allocator.pool());
    return UpdateControl.noUpdate();
  }

  private static List<XenNode> othersThan(String name, Context<XenNode> context) {
    return context.getPrimaryCache().list(n -> !n.getMetadata().getName().equals(name)).toList();
  }

  private static Optional<Ipv4Subnet> subnetOf(XenNode node) {
    String subnet = node.getSpec() == null ? null : node.getSpec().getGuestSubnet();
    return Optional.ofNullable(subnet).map(Ipv4Subnet::parse);
  }
}
