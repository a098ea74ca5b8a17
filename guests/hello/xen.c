#include "xen.h"

#include "hypercall.h"

static volatile struct xencons_interface *console_ring;
static uint32_t console_evtchn;
static volatile struct vcpu_events *vcpu_events;

void xen_console_init(volatile struct xencons_interface *ring, uint32_t evtchn) {
  console_ring = ring;
  console_evtchn = evtchn;
}

static void notify_console(void) {
  struct evtchn_send send = {.port = console_evtchn};
  hypercall2(HYPERCALL_event_channel_op, EVTCHNOP_send, (unsigned long)&send);
}

void xen_console_write(const char *text) {
  volatile struct xencons_interface *ring = console_ring;
  while (*text) {
    uint32_t cons = ring->out_cons;
    uint32_t prod = ring->out_prod;
    __asm__ volatile("" ::: "memory"); /* read the indexes before touching the ring (x86 keeps stores ordered) */
    if (prod - cons >= sizeof(ring->out)) {
      notify_console(); /* full: let xenconsoled drain it, and give dom0 the CPU to do so */
      hypercall2(HYPERCALL_sched_op, SCHEDOP_yield, 0);
      continue;
    }
    ring->out[prod % sizeof(ring->out)] = *text++;
    __asm__ volatile("" ::: "memory"); /* the byte before the index that publishes it */
    ring->out_prod = prod + 1;
  }
  notify_console();
}

void xen_mask_events(volatile struct vcpu_events *vcpu0) {
  vcpu_events = vcpu0;
  vcpu0->upcall_mask = 1;
  __asm__ volatile("" ::: "memory");
  vcpu0->upcall_pending = 0;
}

void xen_idle(void) {
  struct sched_poll poll = {.ports = 0, .nr_ports = 0, .timeout = 0};
  for (;;) {
    /* Wakes when some port becomes pending; ports are never cleared here, so that happens a few times at most. */
    hypercall2(HYPERCALL_sched_op, SCHEDOP_poll, (unsigned long)&poll);
    if (vcpu_events) {
      vcpu_events->upcall_pending = 0;
    }
  }
}

void xen_power_off(void) {
  struct sched_shutdown shutdown = {.reason = SHUTDOWN_poweroff};
  for (;;) {
    hypercall2(HYPERCALL_sched_op, SCHEDOP_shutdown, (unsigned long)&shutdown);
  }
}
