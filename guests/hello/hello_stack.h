#ifndef HELLO_STACK_H
#define HELLO_STACK_H
/* The one stack, set up by each entry (boot-pvh.S, boot-pv.S) before it calls into C. */
#define HELLO_STACK_SIZE 16384
#endif
