#include "console.h"

#include <stdint.h>

#define COM1 0x3f8

static inline void outb(uint16_t port, uint8_t value) {
  __asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

static inline uint8_t inb(uint16_t port) {
  uint8_t value;
  __asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
  return value;
}

void serial_init(void) {
  outb(COM1 + 1, 0x00); /* no interrupts */
  outb(COM1 + 3, 0x80); /* DLAB on */
  outb(COM1 + 0, 0x01); /* 115200 baud */
  outb(COM1 + 1, 0x00);
  outb(COM1 + 3, 0x03); /* 8N1 */
  outb(COM1 + 2, 0xc7); /* FIFO on */
}

static void put_char(char c) {
  for (int spins = 0; spins < 100000 && !(inb(COM1 + 5) & 0x20); spins++) {
  }
  outb(COM1, (uint8_t)c);
}

void serial_write(const char *text) {
  for (; *text; text++) {
    if (*text == '\n') {
      put_char('\r');
    }
    put_char(*text);
  }
}
