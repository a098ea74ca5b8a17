/*
 * Xen PV entry (64-bit): Xen's domain builder maps the image at virtual address 0 (XEN_ELFNOTE_VIRT_BASE),
 * fills the hypercall page and enters pv_start with %rsi pointing at start_info. The guest runs in ring 3
 * without a trap table, so it uses hypercalls only: no cli, hlt or port I/O.
 */
#include <stdint.h>

#include "console.h"
#include "hello.h"
#include "hypercall.h"
#include "xen.h"

/* Xen's read-only machine-to-physical table, mapped into every 64-bit PV guest (HYPERVISOR_VIRT_START). */
#define MACHINE_TO_PHYS ((const unsigned long *)0xffff800000000000ul)
#define PTE_PRESENT_RW_USER 0x7ul

/* A page of the image whose mapping is replaced by Xen's shared_info. */
static uint8_t shared_info_window[4096] __attribute__((aligned(4096)));

void console_write(const char *text) {
  xen_console_write(text);
}

void platform_power_off(void) {
  xen_power_off();
}

void platform_idle(void) {
  xen_idle();
}

void pv_main(const struct pv_start_info *start_info) {
  if (hypercall3(HYPERCALL_update_va_mapping, (unsigned long)shared_info_window,
                 start_info->shared_info | PTE_PRESENT_RW_USER, UVMF_INVLPG) == 0) {
    xen_mask_events((volatile struct vcpu_events *)shared_info_window);
  }
  /* The console page is one of the builder's pages in the initial mapping: virtual address = pfn * 4 KiB. */
  unsigned long console_pfn = MACHINE_TO_PHYS[start_info->console.mfn];
  xen_console_init((volatile struct xencons_interface *)(console_pfn << 12), start_info->console.evtchn);
  hello_main(start_info->cmd_line);
}
