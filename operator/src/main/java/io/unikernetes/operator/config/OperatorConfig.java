package io.unikernetes.operator.config;

import io.unikernetes.common.config.ConfigOption;
import io.unikernetes.common.config.Settings;
import io.unikernetes.common.logging.LogSettings;
import io.unikernetes.common.net.Ipv4Subnet;
import io.unikernetes.operator.ipam.NodeSubnetAllocator;
import io.unikernetes.operator.scheduler.SchedulingPolicy;
import java.util.List;
import java.util.Map;

/** Every setting of the operator, with its default and description, in one place. */
public record OperatorConfig(boolean leaderElection, String leaseNamespace, String leaseName, String identity,
    String httpHost, int httpPort, String nodeLeaseNamespace, java.time.Duration nodeLostGrace,
    SchedulingPolicy schedulingPolicy, NodeSubnetAllocator guestSubnets, String agentClusterRole,
    String activatorAddress) {

  /** The settings without an activator. */
  public OperatorConfig(boolean leaderElection, String leaseNamespace, String leaseName, String identity,
      String httpHost, int httpPort, String nodeLeaseNamespace, java.time.Duration nodeLostGrace,
      SchedulingPolicy schedulingPolicy, NodeSubnetAllocator guestSubnets, String agentClusterRole) {
    this(leaderElection, leaseNamespace, leaseName, identity, httpHost, httpPort, nodeLeaseNamespace, nodeLostGrace,
        schedulingPolicy, guestSubnets, agentClusterRole, "");
  }

  /** The settings with the default agent ClusterRole and without an activator. */
  public OperatorConfig(boolean leaderElection, String leaseNamespace, String leaseName, String identity,
      String httpHost, int httpPort, String nodeLeaseNamespace, java.time.Duration nodeLostGrace,
      SchedulingPolicy schedulingPolicy, NodeSubnetAllocator guestSubnets) {
    this(leaderElection, leaseNamespace, leaseName, identity, httpHost, httpPort, nodeLeaseNamespace, nodeLostGrace,
        schedulingPolicy, guestSubnets, AGENT_CLUSTER_ROLE.defaultValue());
  }

  public static final ConfigOption LEADER_ELECTION = ConfigOption.optional("UNIKERNETES_LEADER_ELECTION", "true",
      "Elect one active replica through a coordination.k8s.io Lease; the others stand by");
  public static final ConfigOption LEASE_NAMESPACE = ConfigOption.optional("UNIKERNETES_LEASE_NAMESPACE", "default",
      "Namespace of the leader-election Lease (the chart sets it to the release namespace)");
  public static final ConfigOption LEASE_NAME = ConfigOption.optional("UNIKERNETES_LEASE_NAME", "unikernetes-operator",
      "Name of the leader-election Lease");
  public static final ConfigOption IDENTITY = ConfigOption.optional("UNIKERNETES_IDENTITY", "",
      "Identity of this replica in the Lease and in Events (default: the host name)");
  public static final ConfigOption HTTP_HOST = ConfigOption.optional("UNIKERNETES_HTTP_HOST", "0.0.0.0",
      "Address of the /healthz, /readyz and /metrics endpoint");
  public static final ConfigOption HTTP_PORT = ConfigOption.optional("UNIKERNETES_HTTP_PORT", "8080",
      "Port of the /healthz, /readyz and /metrics endpoint (0 picks a free port)");

  public static final ConfigOption NODE_LEASE_NAMESPACE = ConfigOption.optional("UNIKERNETES_NODE_LEASE_NAMESPACE",
      "unikernetes", "Namespace of the agents' heartbeat Leases");
  public static final ConfigOption NODE_LOST_GRACE = ConfigOption.optional("UNIKERNETES_NODE_LOST_GRACE_SECONDS",
      "300", "Seconds after a node's heartbeat expired before its guests are marked lost (Ready=Unknown, reason "
          + "NodeLost) so their deployments replace them elsewhere; Kubernetes waits as long before evicting Pods. "
          + "Lost guests are never destroyed for that alone");

  public static final ConfigOption SCHEDULING_POLICY = ConfigOption.optional("UNIKERNETES_SCHEDULING_POLICY",
      "dense", "How guests are placed: dense (fewest hosts in use) or spread (every host evenly)");

  public static final ConfigOption GUEST_CIDR = ConfigOption.optional("UNIKERNETES_GUEST_CIDR", "10.240.0.0/16",
      "The cluster's IPv4 pool of guest addresses; each XenNode gets a subnet of it (like --cluster-cidr)");
  public static final ConfigOption NODE_SUBNET_PREFIX_LENGTH = ConfigOption.optional(
      "UNIKERNETES_NODE_SUBNET_PREFIX_LENGTH", "24",
      "Prefix length of each XenNode's guest subnet, cut from the guest pool (like --node-cidr-mask-size)");

  public static final ConfigOption AGENT_CLUSTER_ROLE = ConfigOption.optional("UNIKERNETES_AGENT_CLUSTER_ROLE",
      "unikernetes-xen-agent", "The ClusterRole the xen-agents are bound to: the subjects of its bindings may "
          + "read, in each namespace, exactly the Secrets that namespace's Unikernels name in imagePullSecrets");

  public static final ConfigOption ACTIVATOR_ADDRESS = ConfigOption.optional("UNIKERNETES_ACTIVATOR_ADDRESS", "",
      "IPv4 address of this operator that Services' traffic can reach (the chart passes the Pod's IP): its "
          + "activator listens there and stands in for deployments scaled to zero (spec.scaleToZero). Empty: no "
          + "activator, and such deployments are never scaled to zero");

  /** The defaults: 256 nodes of up to 253 guests each. */
  public static final NodeSubnetAllocator DEFAULT_GUEST_SUBNETS = guestSubnets(GUEST_CIDR.defaultValue(),
      Integer.parseInt(NODE_SUBNET_PREFIX_LENGTH.defaultValue()));

  public static final List<ConfigOption> OPTIONS = java.util.stream.Stream.concat(java.util.stream.Stream.of(LEADER_ELECTION, LEASE_NAMESPACE, LEASE_NAME, IDENTITY,
      HTTP_HOST, HTTP_PORT, NODE_LEASE_NAMESPACE, NODE_LOST_GRACE, SCHEDULING_POLICY, GUEST_CIDR,
      NODE_SUBNET_PREFIX_LENGTH, AGENT_CLUSTER_ROLE, ACTIVATOR_ADDRESS),
      LogSettings.OPTIONS.stream()).toList();

  public static OperatorConfig from(String[] args, Map<String, String> environment) {
    Settings settings = Settings.of(args, environment, OPTIONS);
    String identity = settings.string(IDENTITY);
    return new OperatorConfig(settings.bool(LEADER_ELECTION), settings.string(LEASE_NAMESPACE),
        settings.string(LEASE_NAME), identity.isBlank() ? hostName() : identity, settings.string(HTTP_HOST),
        settings.integer(HTTP_PORT), settings.string(NODE_LEASE_NAMESPACE), settings.seconds(NODE_LOST_GRACE),
        policy(settings.string(SCHEDULING_POLICY)),
        guestSubnets(settings.string(GUEST_CIDR), settings.integer(NODE_SUBNET_PREFIX_LENGTH)),
        settings.string(AGENT_CLUSTER_ROLE), activatorAddress(settings.string(ACTIVATOR_ADDRESS)));
  }

  private static String activatorAddress(String address) {
    String trimmed = address.trim();
    if (!trimmed.isEmpty() && !trimmed.matches("(\\d{1,3}\\.){3}\\d{1,3}")) {
      throw new IllegalArgumentException("--activator-address must be an IPv4 address (the operator Pod's IP), got '"
          + address + "'");
    }
    return trimmed;
  }

  private static NodeSubnetAllocator guestSubnets(String cidr, int prefixLength) {
    Ipv4Subnet pool;
    try {
      pool = Ipv4Subnet.parse(cidr);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--guest-cidr: " + e.getMessage(), e);
    }
    try {
      return new NodeSubnetAllocator(pool, prefixLength);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--node-subnet-prefix-length: " + e.getMessage(), e);
    }
  }

  private static SchedulingPolicy policy(String name) {
    try {
      return SchedulingPolicy.valueOf(name.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--scheduling-policy must be dense or spread, got '" + name + "'", e);
    }
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "unikernetes-operator";
    }
  }
}
