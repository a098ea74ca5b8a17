/*
 * The Unikernetes hello guest: prints "UNIKERNEL READY cmdline=<its command line>" on its console and
 * stays up. With "poweroff" on its command line it shuts itself down instead (ACPI S5), which lets tests
 * exercise the Succeeded phase and restart policies.
 */
#include <stdint.h>

#include "console.h"

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

static int contains_word(const char *text, const char *word) {
  for (const char *start = text; *start; start++) {
    if (start != text && start[-1] != ' ') {
      continue;
    }
    const char *t = start;
    const char *w = word;
    while (*w && *t == *w) {
      t++;
      w++;
    }
    if (!*w && (*t == ' ' || *t == '\0')) {
      return 1;
    }
  }
  return 0;
}

static inline void outw(uint16_t port, uint16_t value) {
  __asm__ volatile("outw %0, %1" : : "a"(value), "Nd"(port));
}

static void power_off(void) {
  /* QEMU q35 (ICH9): PM1a control block at 0x604, SLP_TYP for S5 is 0, SLP_EN is bit 13. */
  outw(0x604, 1u << 13);
  /* QEMU pc (PIIX4): PM1a control block at 0xb004. */
  outw(0xb004, 1u << 13);
}

void guest_main(const struct hvm_start_info *start_info) {
  console_init();
  const char *cmdline = "";
  if (start_info->magic == HVM_START_MAGIC && start_info->cmdline_paddr != 0) {
    cmdline = (const char *)(uintptr_t)start_info->cmdline_paddr;
  }
  console_write("UNIKERNEL READY cmdline=");
  console_write(cmdline);
  console_write("\n");
  if (contains_word(cmdline, "poweroff")) {
    console_write("UNIKERNEL POWEROFF\n");
    power_off();
  }
  for (;;) {
    __asm__ volatile("cli; hlt");
  }
}
