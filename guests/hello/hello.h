#ifndef HELLO_HELLO_H
#define HELLO_HELLO_H

/* What the guest does once its console works: the same under QEMU, Xen PVH and Xen PV. */
void hello_main(const char *cmdline) __attribute__((noreturn));

/* Provided by each entry (pvh.c, pv.c). */
void platform_power_off(void) __attribute__((noreturn));
void platform_idle(void) __attribute__((noreturn));

#endif
