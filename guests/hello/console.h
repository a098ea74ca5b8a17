#ifndef HELLO_CONSOLE_H
#define HELLO_CONSOLE_H

/* The guest's console: the emulated COM1 UART under QEMU, the Xen PV console ring under Xen. */
void console_write(const char *text);

/* COM1, for hosts that emulate one. */
void serial_init(void);
void serial_write(const char *text);

#endif
