/*
 * Xen PV entry (x86-64) for the hello guest. The ELF notes tell Xen's domain builder how to load it: a
 * "generic" loader image for the Xen 3.0 ABI, mapped from virtual (and pseudo-physical) address 0, entered at
 * pv_start, with the hypercall page at hypercall_page.
 */
#include "hello_stack.h"
#include "xen_note.S"
#define XEN_ELFNOTE_ENTRY 1
#define XEN_ELFNOTE_HYPERCALL_PAGE 2
#define XEN_ELFNOTE_VIRT_BASE 3
#define XEN_ELFNOTE_PADDR_OFFSET 4
#define XEN_ELFNOTE_XEN_VERSION 5
#define XEN_ELFNOTE_GUEST_OS 6
#define XEN_ELFNOTE_LOADER 8

    xen_note_string XEN_ELFNOTE_GUEST_OS, "unikernetes-hello"
    xen_note_string XEN_ELFNOTE_XEN_VERSION, "xen-3.0"
    xen_note_string XEN_ELFNOTE_LOADER, "generic"
    xen_note_quad XEN_ELFNOTE_VIRT_BASE, 0
    xen_note_quad XEN_ELFNOTE_PADDR_OFFSET, 0
    xen_note_quad XEN_ELFNOTE_ENTRY, pv_start
    xen_note_quad XEN_ELFNOTE_HYPERCALL_PAGE, hypercall_page

    .section .text.boot, "ax"
    .code64
    .global pv_start
pv_start:
    cld
    leaq hello_stack + HELLO_STACK_SIZE(%rip), %rsp
    movq %rsi, %rdi               /* start_info virtual address */
    call pv_main
1:  jmp 1b

    .balign 4096
    .global hypercall_page
hypercall_page:                   /* filled in by Xen's domain builder */
    .fill 4096, 1, 0xcc

    .section .note.GNU-stack, "", @progbits
