/* Xen ELF notes: name "Xen", a type from xen/include/public/elfnote.h, and a value (a number or a string). */
.macro xen_note_begin type
    .pushsection .note.Xen, "a", @note
    .balign 4
    .long 2f - 1f
    .long 4f - 3f
    .long \type
1:  .asciz "Xen"
2:  .balign 4
3:
.endm
.macro xen_note_end
4:  .balign 4
    .popsection
.endm
.macro xen_note_long type, value
    xen_note_begin \type
    .long \value
    xen_note_end
.endm
.macro xen_note_quad type, value
    xen_note_begin \type
    .quad \value
    xen_note_end
.endm
.macro xen_note_string type, value
    xen_note_begin \type
    .asciz "\value"
    xen_note_end
.endm
