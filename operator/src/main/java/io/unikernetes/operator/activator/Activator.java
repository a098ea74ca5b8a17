package io.unikernetes.operator.activator;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands in for the guests of deployments at zero: while a Service has no Ready guest, its EndpointSlice points
 * at this activator, one listening port per Service port. A connection that arrives then is accepted and held
 * unread (its bytes wait in the kernel) until {@link #backends} names a Ready guest, then relayed to it byte for
 * byte; one held longer than its route's maxWake is failed cleanly (HTTP 503 with Retry-After, or closed), as
 * are those held when the activator stops. A connection that arrives while the route has Ready guests is
 * relayed at once (the hand-back window). Half-closes are passed on, so a client may shut its side after its
 * request and still read the answer.
 *
 * <p>Ports are picked by the kernel and published in the EndpointSlice, so nothing has to agree on a range.
 * Everything runs on two event-loop threads, without a thread per connection.
 */
public final class Activator implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Activator.class);
  /** How long a failed HTTP connection may take to read our 503 before it is closed. */
  private static final long LINGER_MILLIS = 2000;
  /** How long a stopping activator lets its failed connections read their 503 and send their last bytes. */
  private static final long CLOSE_LINGER_MILLIS = 500;
  /** Connect timeout towards a Ready guest: on its own subnet it answers in microseconds or not at all. */
  private static final int CONNECT_TIMEOUT_MILLIS = 5000;

  private final String address;
  private final RouteListener listener;
  private final EventLoopGroup group;
  private final Map<RouteKey, Port> ports = new ConcurrentHashMap<>();
  private final AtomicInteger held = new AtomicInteger();

  /** One listening port and what it knows about its route. */
  private static final class Port {
    volatile Channel server;
    volatile int number;
    volatile ActivatorRoute route;
    volatile List<Backend> backends = List.of();
    final AtomicInteger next = new AtomicInteger();
    /** Held connections and their maxWake timeouts, cancelled when they go on. */
    final Map<Channel, ScheduledFuture<?>> held = new ConcurrentHashMap<>();

    Port(ActivatorRoute route) {
      this.route = route;
    }
  }

  /**
   * @param address the IPv4 address to listen on, published in EndpointSlices (the operator Pod's IP)
   * @param listener told of connections, held ones, forwards and timeouts
   */
  public Activator(String address, RouteListener listener) {
    this.address = address;
    this.listener = listener;
    this.group = new NioEventLoopGroup(2, new DefaultThreadFactory("activator", true));
  }

  /** The address published in EndpointSlices. */
  public String address() {
    return address;
  }

  /** Connections held now, over every route. */
  public int heldConnections() {
    return held.get();
  }

  /**
   * The port standing in for {@code route}, opened on first use; the route's deployments and maxWake are
   * updated. Blocks while binding.
   *
   * @throws IllegalStateException when the port cannot be opened
   */
  public int open(ActivatorRoute route) {
    Port port = ports.computeIfAbsent(route.key(), key -> bind(route));
    port.route = route;
    return port.number;
  }

  /**
   * The Ready guests of {@code key} (empty: none, connections are held), and the deployments they belong to.
   * Non-empty releases every held connection to them, spread round-robin.
   */
  public void backends(RouteKey key, List<Backend> backends, Set<String> readyDeployments) {
    Port port = ports.get(key);
    if (port == null) {
      return;
    }
    port.backends = List.copyOf(backends);
    if (!backends.isEmpty()) {
      listener.ready(port.route, readyDeployments);
      release(port);
    }
  }

  /** Closes the ports of routes not in {@code keep}; their held connections are failed. */
  public void retain(Set<RouteKey> keep) {
    ports.keySet().stream().filter(k -> !keep.contains(k)).toList().forEach(this::closePort);
  }

  /** Whether an open port stands in for {@code deployment} of {@code namespace}: a request could wake it. */
  public boolean fronts(String namespace, String deployment) {
    return ports.values().stream().map(p -> p.route).anyMatch(r -> r.key().namespace().equals(namespace)
        && r.deployments().contains(deployment));
  }

  /** The routes with an open port. */
  public Set<RouteKey> routes() {
    return Set.copyOf(ports.keySet());
  }

  private Port bind(ActivatorRoute route) {
    Port port = new Port(route); // before binding: a connection may arrive as soon as the port is bound
    try {
      port.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
          .childOption(ChannelOption.AUTO_READ, false)
          .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
              accepted(port, channel);
            }
          })
          .bind(address, 0).syncUninterruptibly().channel();
    } catch (Exception e) { // Netty rethrows the bind's IOException unchecked
      throw new IllegalStateException("the activator cannot listen on " + address + " for " + route.key()
          + " (is --activator-address an address of this host?): " + e, e);
    }
    port.number = ((InetSocketAddress) port.server.localAddress()).getPort();
    LOG.info("activator listens on {}:{} for {}", address, port.number, route.key());
    return port;
  }

  private void accepted(Port port, SocketChannel client) {
    ActivatorRoute route = port.route;
    listener.connected(route);
    List<Backend> backends = port.backends;
    if (!backends.isEmpty()) {
      forward(port, client, backends);
      return;
    }
    ScheduledFuture<?> timeout = client.eventLoop().schedule(() -> {
      if (port.held.remove(client) != null) {
        held.decrementAndGet();
        listener.timedOut(route);
        fail(client, route, "no Ready guest for " + route.key() + " within " + route.maxWake().toSeconds() + " s");
      }
    }, route.maxWake().toMillis(), TimeUnit.MILLISECONDS);
    port.held.put(client, timeout);
    held.incrementAndGet();
    // Seen only when something is read or written: a client that gives up waits out its timeout.
    client.closeFuture().addListener(f -> unhold(port, client));
    listener.held(route);
    if (!port.backends.isEmpty()) {
      release(port); // guests turned Ready between the look above and the hold
    }
  }

  /** Takes {@code client} off the held ones; false when it was not held (any more). */
  private boolean unhold(Port port, Channel client) {
    ScheduledFuture<?> timeout = port.held.remove(client);
    if (timeout == null) {
      return false;
    }
    timeout.cancel(false);
    held.decrementAndGet();
    return true;
  }

  private void release(Port port) {
    List<Backend> backends = port.backends;
    for (Channel client : List.copyOf(port.held.keySet())) {
      if (unhold(port, client)) {
        forward(port, (SocketChannel) client, backends);
      }
    }
  }

  private void forward(Port port, SocketChannel client, List<Backend> backends) {
    Backend backend = backends.get(Math.floorMod(port.next.getAndIncrement(), backends.size()));
    new Bootstrap().group(client.eventLoop()).channel(NioSocketChannel.class)
        .option(ChannelOption.AUTO_READ, false)
        .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
        .handler(new Relay(client))
        .connect(backend.ip(), backend.port())
        .addListener((ChannelFutureListener) connected -> {
          if (!connected.isSuccess()) {
            LOG.warn("activator: {} -> {}:{} failed: {}", port.route.key(), backend.ip(), backend.port(),
                connected.cause().toString());
            fail(client, port.route, "guest " + backend.ip() + ":" + backend.port() + " of " + port.route.key()
                + " refused the connection");
            return;
          }
          Channel upstream = connected.channel();
          client.pipeline().addLast(new Relay(upstream));
          client.closeFuture().addListener(f -> Relay.closeOnFlush(upstream));
          client.read();
          upstream.read();
        });
  }

  /**
   * A clean failure: HTTP 503 with Retry-After and {@code why} where the port speaks HTTP, else a closed
   * connection.
   */
  private static void fail(Channel client, ActivatorRoute route, String why) {
    if (!route.http()) {
      client.close();
      return;
    }
    String body = why + "\n";
    String response = "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Type: text/plain\r\n"
        + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n" + body;
    // The request is read and dropped: closing with unread bytes would reset the connection and could lose the
    // answer on its way to the client.
    client.pipeline().addLast(new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object message) {
        ReferenceCountUtil.release(message);
      }
    });
    client.config().setAutoRead(true);
    client.writeAndFlush(Unpooled.copiedBuffer(response, StandardCharsets.UTF_8)).addListener(
        (ChannelFutureListener) written -> {
          if (written.isSuccess() && client instanceof SocketChannel socket) {
            socket.shutdownOutput();
            client.eventLoop().schedule(() -> client.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
          } else {
            client.close();
          }
        });
  }

  /** Closes the port of {@code key} and fails its held connections; how many it failed. */
  private int closePort(RouteKey key) {
    Port port = ports.remove(key);
    if (port == null) {
      return 0;
    }
    port.server.close();
    int failed = 0;
    for (Channel client : List.copyOf(port.held.keySet())) {
      if (unhold(port, client)) {
        fail(client, port.route, "the activator stopped standing in for " + key);
        failed++;
      }
    }
    LOG.info("activator closed {}:{} of {}", address, port.number, key);
    return failed;
  }

  /** Fails the held connections (a 503 on HTTP ports), gives them a moment to be read, and stops. */
  @Override
  public void close() {
    int failed = List.copyOf(ports.keySet()).stream().mapToInt(this::closePort).sum();
    if (failed > 0) {
      try {
        // Shutting the loops down closes every socket at once: one with unread request bytes would be reset
        // and its client could lose the 503 on the way.
        Thread.sleep(CLOSE_LINGER_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
