/*
 * PVH entry: the same ELF boots under QEMU (direct-kernel PVH boot, COM1 console) and under Xen (PVH domU,
 * no emulated devices: the console is the PV console ring). The guest tells them apart by CPUID, as
 * MirageOS/Solo5 and Unikraft guests do.
 */
#include <stdint.h>

#include "console.h"
#include "hello.h"
#include "hypercall.h"
#include "xen.h"

#define HVM_START_MAGIC 0x336ec578u

/* The fields of struct hvm_start_info (xen/include/public/arch-x86/hvm/start_info.h) used here. */
struct hvm_start_info {
  uint32_t magic;
  uint32_t version;
  uint32_t flags;
  uint32_t nr_modules;
  uint64_t modlist_paddr;
  uint64_t cmdline_paddr;
  uint64_t rsdp_paddr;
};

char hypercall_page[4096] __attribute__((aligned(4096)));
/* Where Xen's shared_info page is mapped in; the RAM page behind it is given back to Xen. */
static uint8_t shared_info_page[4096] __attribute__((aligned(4096)));
static int on_xen;

static void cpuid(uint32_t leaf, uint32_t regs[4]) {
  __asm__ volatile("cpuid" : "=a"(regs[0]), "=b"(regs[1]), "=c"(regs[2]), "=d"(regs[3]) : "a"(leaf), "c"(0));
}

static int same_bytes(const void *a, const void *b, unsigned int n) {
  const uint8_t *x = a;
  const uint8_t *y = b;
  for (unsigned int i = 0; i < n; i++) {
    if (x[i] != y[i]) {
      return 0;
    }
  }
  return 1;
}

/* The first CPUID leaf of Xen's range, or 0 when not running on Xen. */
static uint32_t xen_cpuid_base(void) {
  for (uint32_t base = XEN_CPUID_FIRST_LEAF; base < XEN_CPUID_LAST_LEAF; base += 0x100) {
    uint32_t regs[4];
    cpuid(base, regs);
    if (same_bytes(&regs[1], XEN_CPUID_SIGNATURE, 12) && regs[0] >= base + 2) {
      return base;
    }
  }
  return 0;
}

static int hvm_param(uint32_t index, uint64_t *value) {
  struct xen_hvm_param param = {.domid = DOMID_SELF, .index = index, .value = 0};
  if (hypercall2(HYPERCALL_hvm_op, HVMOP_get_param, (unsigned long)&param) != 0) {
    return 0;
  }
  *value = param.value;
  return 1;
}

/* Installs the hypercall page and finds the console ring; 0 if any of it fails. */
static int start_xen_console(uint32_t cpuid_base) {
  uint32_t regs[4];
  cpuid(cpuid_base + 2, regs); /* eax: hypercall pages, ebx: the MSR that installs them */
  uint64_t page = (uintptr_t)hypercall_page;
  __asm__ volatile("wrmsr" : : "c"(regs[1]), "a"((uint32_t)page), "d"((uint32_t)(page >> 32)) : "memory");

  uint64_t console_pfn;
  uint64_t console_evtchn;
  /* Paging is off: the ring must sit below 4 GiB, where Xen puts a small guest's special pages anyway. */
  if (!hvm_param(HVM_PARAM_CONSOLE_PFN, &console_pfn) || !hvm_param(HVM_PARAM_CONSOLE_EVTCHN, &console_evtchn)
      || console_pfn == 0 || console_pfn >= (1ull << 20)) {
    return 0;
  }
  xen_console_init((volatile struct xencons_interface *)(uintptr_t)(console_pfn << 12), (uint32_t)console_evtchn);

  struct xen_add_to_physmap map = {.domid = DOMID_SELF, .size = 0, .space = XENMAPSPACE_shared_info, .idx = 0,
                                   .gpfn = (uintptr_t)shared_info_page >> 12};
  if (hypercall2(HYPERCALL_memory_op, XENMEM_add_to_physmap, (unsigned long)&map) == 0) {
    xen_mask_events((volatile struct vcpu_events *)shared_info_page);
  }
  return 1;
}

void console_write(const char *text) {
  if (on_xen) {
    xen_console_write(text);
  } else {
    serial_write(text);
  }
}

static inline void outw(uint16_t port, uint16_t value) {
  __asm__ volatile("outw %0, %1" : : "a"(value), "Nd"(port));
}

void platform_power_off(void) {
  if (on_xen) {
    xen_power_off();
  }
  /* QEMU q35 (ICH9): PM1a control block at 0x604, SLP_TYP for S5 is 0, SLP_EN is bit 13. */
  outw(0x604, 1u << 13);
  /* QEMU pc (PIIX4): PM1a control block at 0xb004. */
  outw(0xb004, 1u << 13);
  platform_idle();
}

void platform_idle(void) {
  if (on_xen) {
    /* Not hlt: Xen turns a hlt with interrupts off into a power-off, and one with them on spins on events. */
    xen_idle();
  }
  for (;;) {
    __asm__ volatile("cli; hlt");
  }
}

void pvh_main(const struct hvm_start_info *start_info) {
  uint32_t xen = xen_cpuid_base();
  on_xen = xen != 0 && start_xen_console(xen);
  if (!on_xen) {
    serial_init();
  }
  const char *cmdline = "";
  if (start_info->magic == HVM_START_MAGIC && start_info->cmdline_paddr != 0) {
    cmdline = (const char *)(uintptr_t)start_info->cmdline_paddr;
  }
  hello_main(cmdline);
}
