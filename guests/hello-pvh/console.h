#ifndef HELLO_CONSOLE_H
#define HELLO_CONSOLE_H

/* The guest's console: the emulated COM1 UART under QEMU. */
void console_init(void);
void console_write(const char *text);

#endif
