/*
 * The Unikernetes hello guest: prints "UNIKERNEL READY cmdline=<its command line>" on its console and
 * stays up. With "poweroff" on its command line it shuts itself down instead, which lets tests exercise the
 * Succeeded phase and restart policies.
 */
#include "hello.h"

#include "console.h"
#include "hello_stack.h"

unsigned char hello_stack[HELLO_STACK_SIZE] __attribute__((aligned(16)));

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

void hello_main(const char *cmdline) {
  console_write("UNIKERNEL READY cmdline=");
  console_write(cmdline);
  console_write("\n");
  if (contains_word(cmdline, "poweroff")) {
    console_write("UNIKERNEL POWEROFF\n");
    platform_power_off();
  }
  platform_idle();
}
