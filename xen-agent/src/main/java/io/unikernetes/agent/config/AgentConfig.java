package io.unikernetes.agent.config;

import io.unikernetes.agent.domain.CpuSet;
import io.unikernetes.api.v1alpha1.spec.CpuAmount;
import io.unikernetes.api.v1alpha1.spec.MemorySize;
import io.unikernetes.common.config.ConfigOption;
import io.unikernetes.agent.network.GuestNetworkConfig;
import io.unikernetes.common.config.Settings;
import io.unikernetes.common.logging.LogSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** Every setting of the xen-agent, with its default and description, in one place. */
public record AgentConfig(String nodeName, String libvirtUri, Path stateDir, Path xenConsoleDir,
    MemorySize reservedMemory, CpuAmount reservedCpu, Optional<MemorySize> guestOverheadMemory,
    CpuAmount guestOverheadCpu, OptionalInt maxGuests, int libvirtParallelism, Map<String, String> nodeLabels,
    String httpHost, int httpPort,
    Duration imageFetchIdleTimeout, Duration imageFetchTimeout, Duration resyncInterval, String heartbeatNamespace, Duration heartbeatInterval,
    GuestNetworkConfig guestNetwork, int consoleRetainedBytes, int consoleWritesPerSecond,
    Optional<Path> registryCaFile, MemorySize imageCacheSize, Optional<CpuSet> reservedCpus) {

  /** The default bound of the image cache (--image-cache-size). */
  public static final MemorySize DEFAULT_IMAGE_CACHE_SIZE = MemorySize.parse("20Gi");

  /** The settings without a registry CA of their own (the JVM's trusted certificates only). */
  public AgentConfig(String nodeName, String libvirtUri, Path stateDir, Path xenConsoleDir,
      MemorySize reservedMemory, CpuAmount reservedCpu, Optional<MemorySize> guestOverheadMemory,
      CpuAmount guestOverheadCpu, OptionalInt maxGuests, int libvirtParallelism, Map<String, String> nodeLabels,
      String httpHost, int httpPort, Duration imageFetchIdleTimeout, Duration imageFetchTimeout,
      Duration resyncInterval, String heartbeatNamespace, Duration heartbeatInterval,
      GuestNetworkConfig guestNetwork, int consoleRetainedBytes, int consoleWritesPerSecond) {
    this(nodeName, libvirtUri, stateDir, xenConsoleDir, reservedMemory, reservedCpu, guestOverheadMemory,
        guestOverheadCpu, maxGuests, libvirtParallelism, nodeLabels, httpHost, httpPort, imageFetchIdleTimeout,
        imageFetchTimeout, resyncInterval, heartbeatNamespace, heartbeatInterval, guestNetwork,
        consoleRetainedBytes, consoleWritesPerSecond, Optional.empty(), DEFAULT_IMAGE_CACHE_SIZE, Optional.empty());
  }

  /** These settings trusting, besides the JVM's certificates, the CA certificates in {@code caFile}. */
  public AgentConfig withRegistryCaFile(Path caFile) {
    return new AgentConfig(nodeName, libvirtUri, stateDir, xenConsoleDir, reservedMemory, reservedCpu,
        guestOverheadMemory, guestOverheadCpu, maxGuests, libvirtParallelism, nodeLabels, httpHost, httpPort,
        imageFetchIdleTimeout, imageFetchTimeout, resyncInterval, heartbeatNamespace, heartbeatInterval,
        guestNetwork, consoleRetainedBytes, consoleWritesPerSecond, Optional.of(caFile), imageCacheSize,
        reservedCpus);
  }

  /** These settings with the image cache bounded to {@code size} (0: unbounded). */
  public AgentConfig withImageCacheSize(MemorySize size) {
    return new AgentConfig(nodeName, libvirtUri, stateDir, xenConsoleDir, reservedMemory, reservedCpu,
        guestOverheadMemory, guestOverheadCpu, maxGuests, libvirtParallelism, nodeLabels, httpHost, httpPort,
        imageFetchIdleTimeout, imageFetchTimeout, resyncInterval, heartbeatNamespace, heartbeatInterval,
        guestNetwork, consoleRetainedBytes, consoleWritesPerSecond, registryCaFile, size, reservedCpus);
  }

  /** These settings keeping host CPUs {@code cpus} from guests (--reserved-cpus). */
  public AgentConfig withReservedCpus(CpuSet cpus) {
    return new AgentConfig(nodeName, libvirtUri, stateDir, xenConsoleDir, reservedMemory, reservedCpu,
        guestOverheadMemory, guestOverheadCpu, maxGuests, libvirtParallelism, nodeLabels, httpHost, httpPort,
        imageFetchIdleTimeout, imageFetchTimeout, resyncInterval, heartbeatNamespace, heartbeatInterval,
        guestNetwork, consoleRetainedBytes, consoleWritesPerSecond, registryCaFile, imageCacheSize,
        Optional.of(cpus));
  }

  /** Most guests one host may be given: Xen numbers domains up to 32,751 (DOMID_FIRST_RESERVED - 1). */
  public static final int MOST_GUESTS = 32_000;

  public static final ConfigOption NODE_NAME = ConfigOption.required("UNIKERNETES_NODE_NAME",
      "Name of this host's XenNode (a DNS subdomain, e.g. the host name)");
  public static final ConfigOption LIBVIRT_URI = ConfigOption.optional("UNIKERNETES_LIBVIRT_URI", "xen:///system",
      "libvirt connection URI: xen:///system on a Xen dom0; qemu:///system or test:///default for development");
  public static final ConfigOption STATE_DIR = ConfigOption.optional("UNIKERNETES_STATE_DIR", "/var/lib/unikernetes",
      "Directory for the image cache, the guests' disk files (overlays, blank disks) and QEMU console logs");
  public static final ConfigOption XEN_CONSOLE_DIR = ConfigOption.optional("UNIKERNETES_XEN_CONSOLE_DIR",
      "/var/log/xen/console", "Where xenconsoled logs guest consoles (xenconsoled --log=guest --log-dir=...)");
  public static final ConfigOption RESERVED_MEMORY = ConfigOption.optional("UNIKERNETES_RESERVED_MEMORY", "512Mi",
      "Host memory kept from guests besides, on Xen, dom0's own (which Xen reports and the agent subtracts): "
          + "libvirt and the agent on a QEMU host, Xen's heap and a margin on Xen");
  public static final ConfigOption RESERVED_CPU = ConfigOption.optional("UNIKERNETES_RESERVED_CPU", "100m",
      "Host CPU kept from guests' requests (the agent, libvirt, dom0), as a Kubernetes quantity");
  public static final ConfigOption RESERVED_CPUS = ConfigOption.optional("UNIKERNETES_RESERVED_CPUS", "",
      "Host CPUs kept for the host's own work (dom0, libvirt, the agent), as a list such as 0 or 0-1,4 (libvirt's "
          + "CPU numbers): every guest's vCPUs (on QEMU, its whole process) are pinned to the other CPUs, so a "
          + "storm of guest work cannot starve them. Allocatable CPU leaves them out, as kubelet computes it with "
          + "its --reserved-cpus (which replaces UNIKERNETES_RESERVED_CPU here too); unlike kubelet's, guests never "
          + "run on them. Applies to domains defined from then on: a guest's domain keeps its placement, through "
          + "restarts too, until the guest is created again. Empty: guests may run on every CPU");
  public static final ConfigOption GUEST_OVERHEAD_MEMORY = ConfigOption.optional(
      "UNIKERNETES_GUEST_OVERHEAD_MEMORY", "auto", "Memory each guest costs the host beyond spec.memory, which "
          + "the scheduler adds to every guest here; auto: 4Mi on Xen (libxl's shadow and page-table "
          + "allowance for a small guest), 32Mi on QEMU (the QEMU process), 0 on libvirt's test driver");
  public static final ConfigOption GUEST_OVERHEAD_CPU = ConfigOption.optional("UNIKERNETES_GUEST_OVERHEAD_CPU", "0",
      "CPU each guest costs the host beyond its requests.cpu, as a Kubernetes quantity");
  public static final ConfigOption MAX_GUESTS = ConfigOption.optional("UNIKERNETES_MAX_GUESTS", "auto",
      "Most guests this node accepts; auto: as many of the smallest guests (4Mi plus the per-guest overhead) "
          + "as allocatable memory holds, at most 2000 (what the shipped -Xmx192m holds with room to spare; "
          + "give more with a larger heap), at most " + MOST_GUESTS + " in any case");
  /** The default of --libvirt-parallelism; see {@link io.unikernetes.agent.hypervisor.BoundedHypervisor}. */
  public static final int DEFAULT_LIBVIRT_PARALLELISM = 8;
  public static final ConfigOption LIBVIRT_PARALLELISM = ConfigOption.optional("UNIKERNETES_LIBVIRT_PARALLELISM",
      String.valueOf(DEFAULT_LIBVIRT_PARALLELISM), "Most domain lifecycle calls (define and start, start, "
          + "destroy, undefine) the agent has libvirt run at once; the others wait their turn. Raw libvirt gained "
          + "nothing consistent beyond 8 (of 1 to 16) for a burst of 150 guests on a 2-core QEMU host, and libvirtd serves "
          + "5 calls of a connection at once by default (hack/bench-node-burst.sh prints what yours does best with)");
  public static final ConfigOption NODE_LABELS = ConfigOption.optional("UNIKERNETES_NODE_LABELS", "",
      "Extra XenNode labels for nodeSelectors, as key=value,key2=value2");
  public static final ConfigOption HTTP_HOST = ConfigOption.optional("UNIKERNETES_HTTP_HOST", "0.0.0.0",
      "Address of the /healthz, /readyz and /metrics endpoint");
  public static final ConfigOption HTTP_PORT = ConfigOption.optional("UNIKERNETES_HTTP_PORT", "8081",
      "Port of the /healthz, /readyz and /metrics endpoint (0 picks a free port)");
  public static final ConfigOption IMAGE_FETCH_IDLE_TIMEOUT = ConfigOption.optional(
      "UNIKERNETES_IMAGE_FETCH_IDLE_TIMEOUT_SECONDS", "30", "Seconds an image download may go without receiving a "
          + "byte (response headers included) before it is aborted and retried with backoff");
  public static final ConfigOption IMAGE_FETCH_TIMEOUT = ConfigOption.optional("UNIKERNETES_IMAGE_FETCH_TIMEOUT_SECONDS",
      "600", "Seconds one image download may take from request to last byte before it is aborted and retried");
  // kubelet's syncFrequency (1m): libvirt's lifecycle events drive the agent; this only bounds how long a
  // missed one can leave status wrong. Each pass costs one look at every guest.
  public static final ConfigOption RESYNC = ConfigOption.optional("UNIKERNETES_RESYNC_SECONDS", "60",
      "How often the agent looks at every guest regardless of events, refreshes its XenNode and removes "
          + "domains whose Unikernel is gone");

  public static final ConfigOption HEARTBEAT_NAMESPACE = ConfigOption.optional("UNIKERNETES_HEARTBEAT_NAMESPACE",
      "unikernetes", "Namespace of the node heartbeat Leases (the namespace the chart is installed in)");
  public static final ConfigOption HEARTBEAT = ConfigOption.optional("UNIKERNETES_HEARTBEAT_SECONDS", "10",
      "How often the agent renews its heartbeat Lease; the Lease lasts four times as long");

  public static final ConfigOption GUEST_BRIDGE = ConfigOption.optional("UNIKERNETES_GUEST_BRIDGE", "",
      "Host bridge that guests' network interfaces join, its address being the first of the XenNode's "
          + "guestSubnet (the guests' gateway); empty: guests get no network interface");
  public static final ConfigOption GUEST_NETWORK = ConfigOption.optional("UNIKERNETES_GUEST_NETWORK", "",
      "Name of a libvirt network the agent defines and keeps for the guest bridge: libvirt creates the bridge, "
          + "gives it the gateway address and answers DHCP with one reservation per guest (dnsmasq; forward "
          + "mode open, no NAT or firewall rules); empty: the guest bridge is set up by the host, without DHCP");
  public static final ConfigOption GUEST_TRAFFIC_NOTING = ConfigOption.optional("UNIKERNETES_GUEST_TRAFFIC_NOTING",
      "true", "Note the traffic the host forwards to the guest bridge in nftables tables of its own (needs the "
          + "nft command, Debian's nftables) and report it as status.lastActivityTime of scale-to-zero guests; "
          + "probes do not count. false, or nft missing: those guests count as always active");
  public static final int DEFAULT_CONSOLE_RETAINED_BYTES = 65_536;
  /**
   * Two boots of at most about twice this (a last line may run past it) stay well inside etcd's 1.5 MiB request
   * limit.
   */
  public static final int MOST_CONSOLE_RETAINED_BYTES = 262_144;
  public static final ConfigOption CONSOLE_RETAINED_BYTES = ConfigOption.optional(
      "UNIKERNETES_CONSOLE_RETAINED_BYTES", String.valueOf(DEFAULT_CONSOLE_RETAINED_BYTES),
      "Console output kept per boot in a guest's UnikernelConsole (kubectl unikernetes logs), in characters (1024 "
          + "to 262144): the oldest lines are dropped beyond it, a last line may run past it. Two boots are kept");
  public static final int DEFAULT_CONSOLE_WRITES_PER_SECOND = 10;
  public static final ConfigOption CONSOLE_WRITES_PER_SECOND = ConfigOption.optional(
      "UNIKERNETES_CONSOLE_WRITES_PER_SECOND", String.valueOf(DEFAULT_CONSOLE_WRITES_PER_SECOND),
      "Most UnikernelConsole writes the agent makes a second, whatever its guests print (a guest's at most once a "
          + "second): the API server's load from consoles; more chatty guests wait longer for their turn");

  public static final ConfigOption REGISTRY_CA_FILE = ConfigOption.optional("UNIKERNETES_REGISTRY_CA_FILE", "",
      "PEM file of CA certificates the agent trusts, besides the JVM's, for OCI registries and image URLs over "
          + "https (a private registry's CA); empty: the JVM's only");

  public static final ConfigOption IMAGE_CACHE_SIZE = ConfigOption.optional("UNIKERNETES_IMAGE_CACHE_SIZE", "20Gi",
      "Most bytes of images (kernels, initrds, disk images) the node keeps, as a Kubernetes quantity (0: no "
          + "bound). Beyond it the images no guest on the node uses go first, least recently used first; when the "
          + "images in use alone exceed it, new pulls wait and the XenNode reports DiskPressure");

  public static final ConfigOption GUEST_DNS = ConfigOption.optional("UNIKERNETES_GUEST_DNS", "",
      "DNS server address guests are given as $(GUEST_DNS) in their cmdline and, with a guest network, by DHCP; "
          + "empty: none");

  public static final List<ConfigOption> OPTIONS = java.util.stream.Stream.concat(java.util.stream.Stream.of(NODE_NAME, LIBVIRT_URI, STATE_DIR, XEN_CONSOLE_DIR,
      RESERVED_MEMORY, RESERVED_CPU, RESERVED_CPUS, GUEST_OVERHEAD_MEMORY, GUEST_OVERHEAD_CPU, MAX_GUESTS,
      LIBVIRT_PARALLELISM,
      NODE_LABELS, HTTP_HOST, HTTP_PORT, IMAGE_FETCH_IDLE_TIMEOUT, IMAGE_FETCH_TIMEOUT, RESYNC,
      HEARTBEAT_NAMESPACE, HEARTBEAT, GUEST_BRIDGE, GUEST_NETWORK, GUEST_DNS, GUEST_TRAFFIC_NOTING,
      CONSOLE_RETAINED_BYTES,
      CONSOLE_WRITES_PER_SECOND, REGISTRY_CA_FILE, IMAGE_CACHE_SIZE),
      LogSettings.OPTIONS.stream()).toList();

  public static AgentConfig from(String[] args, Map<String, String> environment) {
    Settings settings = Settings.of(args, environment, OPTIONS);
    String nodeName = settings.string(NODE_NAME);
    if (nodeName.length() > 253) {
      throw new IllegalArgumentException("--node-name has " + nodeName.length() + " characters; a XenNode name "
          + "holds at most 253 (a DNS subdomain): give a shorter name, e.g. the host's short name");
    }
    if (!nodeName.matches("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")) {
      throw new IllegalArgumentException("--node-name '" + nodeName
          + "' is not a valid XenNode name: use lowercase letters, digits, '-' and '.'");
    }
    return new AgentConfig(nodeName, settings.string(LIBVIRT_URI), Path.of(settings.string(STATE_DIR)),
        Path.of(settings.string(XEN_CONSOLE_DIR)), memory(settings, RESERVED_MEMORY), cpu(settings, RESERVED_CPU),
        auto(settings, GUEST_OVERHEAD_MEMORY).map(v -> memory(settings, GUEST_OVERHEAD_MEMORY)),
        cpu(settings, GUEST_OVERHEAD_CPU), maxGuests(settings), positive(settings, LIBVIRT_PARALLELISM),
        labels(settings.string(NODE_LABELS)), settings.string(HTTP_HOST),
        settings.integer(HTTP_PORT), positiveSeconds(settings, IMAGE_FETCH_IDLE_TIMEOUT),
        positiveSeconds(settings, IMAGE_FETCH_TIMEOUT), settings.seconds(RESYNC),
        settings.string(HEARTBEAT_NAMESPACE), Duration.ofSeconds(positive(settings, HEARTBEAT)),
        guestNetwork(settings), between(settings, CONSOLE_RETAINED_BYTES, 1024, MOST_CONSOLE_RETAINED_BYTES),
        positive(settings, CONSOLE_WRITES_PER_SECOND),
        settings.string(REGISTRY_CA_FILE).isBlank() ? Optional.empty()
            : Optional.of(Path.of(settings.string(REGISTRY_CA_FILE))), memory(settings, IMAGE_CACHE_SIZE),
        cpuSet(settings, RESERVED_CPUS));
  }

  private static Optional<CpuSet> cpuSet(Settings settings, ConfigOption option) {
    String value = settings.string(option);
    if (value.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(CpuSet.parse(value));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--" + option.flag() + " " + e.getMessage());
    }
  }

  private static int between(Settings settings, ConfigOption option, int least, int most) {
    int value = settings.integer(option);
    if (value < least || value > most) {
      throw new IllegalArgumentException("--" + option.flag() + " is " + value + "; give " + least + " to " + most);
    }
    return value;
  }

  private static GuestNetworkConfig guestNetwork(Settings settings) {
    GuestNetworkConfig network = GuestNetworkConfig.of(settings.string(GUEST_BRIDGE), settings.string(GUEST_DNS),
        settings.string(GUEST_NETWORK));
    if (!settings.bool(GUEST_TRAFFIC_NOTING)) {
      network = network.withoutTrafficNoting();
    }
    if (network.libvirtNetwork().isPresent() && network.bridge().isEmpty()) {
      throw new IllegalArgumentException("--" + GUEST_NETWORK.flag() + " needs --" + GUEST_BRIDGE.flag()
          + ": the name of the bridge libvirt creates for that network (e.g. ukbr0)");
    }
    return network;
  }

  /** The option's value, or empty when it is "auto". */
  private static Optional<String> auto(Settings settings, ConfigOption option) {
    String value = settings.string(option).trim();
    return value.equals("auto") ? Optional.empty() : Optional.of(value);
  }

  private static OptionalInt maxGuests(Settings settings) {
    if (auto(settings, MAX_GUESTS).isEmpty()) {
      return OptionalInt.empty();
    }
    int value = positive(settings, MAX_GUESTS);
    if (value > MOST_GUESTS) {
      throw new IllegalArgumentException("--" + MAX_GUESTS.flag() + " is " + value + "; at most "
          + MOST_GUESTS + " guests fit one host (Xen's domain IDs), or give auto");
    }
    return OptionalInt.of(value);
  }

  private static MemorySize memory(Settings settings, ConfigOption option) {
    String value = settings.string(option);
    try {
      return MemorySize.parse(value);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("--" + option.flag() + " '" + value + "' is not a memory quantity: "
          + "give e.g. 512Mi or 2Gi");
    }
  }

  private static CpuAmount cpu(Settings settings, ConfigOption option) {
    String value = settings.string(option);
    try {
      return CpuAmount.parse(value);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("--" + option.flag() + " '" + value + "' is not a CPU quantity: "
          + "give e.g. 100m or 0.5");
    }
  }

  private static Duration positiveSeconds(Settings settings, ConfigOption option) {
    return Duration.ofSeconds(positive(settings, option));
  }

  private static int positive(Settings settings, ConfigOption option) {
    int value = settings.integer(option);
    if (value < 1) {
      throw new IllegalArgumentException("--" + option.flag() + " must be at least 1, got " + value);
    }
    return value;
  }

  static Map<String, String> labels(String text) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (String pair : text.split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      String[] kv = pair.split("=", 2);
      if (kv.length != 2 || kv[0].isBlank()) {
        throw new IllegalArgumentException("--node-labels: '" + pair + "' is not key=value");
      }
      labels.put(kv[0].trim(), kv[1].trim());
    }
    return labels;
  }

  public Path imageDir() {
    return stateDir.resolve("images");
  }

  /** The guests' own disk files: copy-on-write overlays and blank disks, one directory per guest. */
  public Path diskDir() {
    return stateDir.resolve("disks");
  }

  public Path consoleDir() {
    return stateDir.resolve("consoles");
  }
}
