/*
 * PVH entry for the hello guest. The hypervisor (QEMU's PVH loader, or Xen) enters at pvh_start in
 * 32-bit protected mode with paging off and %ebx pointing at struct hvm_start_info.
 */
#include "hello_stack.h"
#include "xen_note.S"
#define XEN_ELFNOTE_PHYS32_ENTRY 18

    xen_note_long XEN_ELFNOTE_PHYS32_ENTRY, pvh_start

    .section .text.boot, "ax"
    .code32
    .global pvh_start
pvh_start:
    cli
    cld
    movl $hello_stack + HELLO_STACK_SIZE, %esp
    subl $12, %esp                /* with the argument, 16-byte aligned at the call, as the i386 ABI wants */
    pushl %ebx                    /* hvm_start_info physical address */
    call pvh_main
1:  hlt
    jmp 1b

    .section .note.GNU-stack, "", @progbits
