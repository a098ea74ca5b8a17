/*
 * PVH entry for the hello guest. The hypervisor (QEMU's PVH loader, or Xen) enters at pvh_start in
 * 32-bit protected mode with paging off and %ebx pointing at struct hvm_start_info.
 */
#define XEN_ELFNOTE_PHYS32_ENTRY 18

    .section .note.Xen, "a", @note
    .align 4
    .long 4                       /* name size: "Xen\0" */
    .long 4                       /* descriptor size */
    .long XEN_ELFNOTE_PHYS32_ENTRY
    .asciz "Xen"
    .align 4
    .long pvh_start
    .align 4

    .section .text.boot, "ax"
    .code32
    .global pvh_start
pvh_start:
    cli
    cld
    movl $stack_top, %esp
    pushl %ebx                    /* hvm_start_info physical address */
    call guest_main
1:  hlt
    jmp 1b

    .section .bss
    .align 16
stack_bottom:
    .skip 16384
stack_top:
    .section .note.GNU-stack, "", @progbits
