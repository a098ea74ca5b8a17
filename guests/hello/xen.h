#ifndef HELLO_XEN_H
#define HELLO_XEN_H
/* The guest's side of Xen that PVH and PV share: the PV console ring, event masking, idling, power-off. */
#include "xen_abi.h"

/* Writes go to this console ring; xenconsoled is told through event channel {@code evtchn}. */
void xen_console_init(volatile struct xencons_interface *ring, uint32_t evtchn);
void xen_console_write(const char *text);

/*
 * Masks event upcalls and clears any pending one: the guest installs no event handler, so an upcall (xenconsoled
 * acknowledges every write) must never be delivered, and a pending one would make every block return at once.
 */
void xen_mask_events(volatile struct vcpu_events *vcpu0);

/* Blocks the vCPU for good without spinning; events stay masked. */
void xen_idle(void) __attribute__((noreturn));

void xen_power_off(void) __attribute__((noreturn));

#endif
