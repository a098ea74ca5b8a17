package io.unikernetes.operator.activator;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;

/**
 * Copies what one side of a relayed connection reads to the other side. Both channels run without auto-read:
 * a side reads its next chunk only once the previous one was written, so a slow reader slows the writer
 * instead of filling the operator's memory (Netty's proxy example does the same). Half-closes go through.
 */
final class Relay extends ChannelInboundHandlerAdapter {

  private final Channel peer;

  Relay(Channel peer) {
    this.peer = peer;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object message) {
    if (!peer.isActive()) {
      ReferenceCountUtil.release(message);
      return;
    }
    peer.writeAndFlush(message).addListener((ChannelFutureListener) written -> {
      if (written.isSuccess()) {
        ctx.channel().read();
      } else {
        written.channel().close();
      }
    });
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closeOnFlush(peer);
  }

  /** This side sent its last byte (half-close): the peer gets the same, and a channel done both ways closes. */
  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (!(event instanceof ChannelInputShutdownEvent)) {
      ctx.fireUserEventTriggered(event);
      return;
    }
    if (peer instanceof SocketChannel socket && socket.isActive()) {
      socket.shutdownOutput().addListener((ChannelFutureListener) done -> {
        if (socket.isInputShutdown()) {
          socket.close();
        }
      });
    }
    if (ctx.channel() instanceof SocketChannel self && self.isOutputShutdown()) {
      self.close();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    closeOnFlush(ctx.channel());
  }

  /** Closes {@code channel} once what is queued for it is written. */
  static void closeOnFlush(Channel channel) {
    if (channel.isActive()) {
      channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
